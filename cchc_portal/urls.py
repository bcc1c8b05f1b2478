from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from org import views as org_views

admin.site.site_header = "CCHC Portal"
admin.site.site_title = "CCHC Portal"

urlpatterns = [
    path("", org_views.home, name="home"),
    path(
        "dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("org.urls")),
    path("thu-tuc/", include("procedures.urls")),
    path("ho-so/", include("dossiers.urls")),
    path("ho-so/", include("dossiers.form_urls")),
    path("tra-cuu/", include("dossiers.lookup_urls")),
    path("bao-cao/", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("org.api_urls")),
    path("api/v1/", include("procedures.api_urls")),
    path("api/v1/", include("dossiers.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
