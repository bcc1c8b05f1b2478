from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from org import views as org_views
from org.admin import admin_password_change

admin.site.site_header = "CCHC Portal"
admin.site.site_title = "CCHC Portal"

urlpatterns = [
    path("", org_views.home, name="home"),
    path("dang-nhap/", org_views.PortalLoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("org.urls")),
    path("thu-tuc/", include("procedures.urls")),
    path("ho-so/", include("dossiers.urls")),
    path("ho-so/", include("dossiers.form_urls")),
    path("tra-cuu/", include("dossiers.lookup_urls")),
    path("bao-cao/", include("reports.urls")),
    path("ban-chi-dao/", include("committee.urls")),
    path("chi-so-cchc/", include("committee.parindex.urls")),
    # Before the admin's own login, which would accept the password alone.
    path("admin/login/", org_views.admin_login),
    # An administrator's own password change, audited like the others (org.admin).
    path("admin/password_change/", admin.site.admin_view(admin_password_change)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("org.api_urls")),
    path("api/v1/", include("procedures.api_urls")),
    path("api/v1/", include("dossiers.api_urls")),
    path("api/v1/", include("committee.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script for the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
