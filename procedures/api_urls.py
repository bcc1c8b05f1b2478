from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("sectors", api.SectorViewSet, basename="api-sector")
router.register("procedures", api.ProcedureViewSet, basename="api-procedure")

urlpatterns = router.urls
