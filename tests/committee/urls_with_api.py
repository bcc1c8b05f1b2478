"""The project's URLs plus the committee API, until the lead mounts it in cchc_portal/urls.py."""

from django.urls import include, path

from cchc_portal.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("api/v1/", include("committee.api_urls"))]
