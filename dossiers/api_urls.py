"""REST API for dossiers (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("dossiers", api.DossierViewSet, basename="api-dossier")

urlpatterns = router.urls
