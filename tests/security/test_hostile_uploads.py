"""The catalogue import of the admin (an upload handed to a Celery job) and the public lookup's
limits, under hostile input."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from procedures.models import Procedure, ProcedureVersion

from .hostile import file_write
from .test_hostile_imports import procedure_row
from .world import World, client_as

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "encoding, name",
    [
        ("latin-1", "catalogue.csv"),
        ("utf-16", "catalogue.csv"),
        ("garbage", "catalogue.csv"),
        ("garbage", "catalogue.xlsx"),
        ("utf-8", "catalogue.exe"),
        ("utf-8", "nul.csv"),
        ("xlsx", "catalogue.xlsx"),
    ],
)
def test_the_admin_import_refuses_a_hostile_upload_cleanly(world: World, tmp_path, encoding, name):
    row = procedure_row()
    row["name"] = "Chứng thực ễ" + ("\x00" if name == "nul.csv" else "")
    row["fee"] = '=HYPERLINK("http://evil.example")'  # Not a number: the row is refused.
    content = file_write(tmp_path, [row], encoding).read_bytes()
    before = Procedure.objects.count(), ProcedureVersion.objects.count()
    client = client_as(world, "admin")
    response = client.post(
        "/admin/procedures/procedureversion/import/",
        {"upload": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert response.status_code == 200
    assert (Procedure.objects.count(), ProcedureVersion.objects.count()) == before


def test_lookups_by_link_count_against_the_limit_too(world: World, settings):
    settings.LOOKUP_RATE_LIMIT = "2/d"
    client = client_as(world, "anonymous")
    code = world.own.dossier.code
    for _ in range(2):
        assert client.get("/tra-cuu/", {"code": code, "digits": "5678"}).status_code == 200
    response = client.get("/tra-cuu/", {"code": code, "digits": "5678"})
    assert response.status_code == 429
    assert "result" not in response.context


def test_the_right_digits_of_another_dossier_reveal_nothing(world: World):
    """The neighbour's phone digits do not open the own commune's dossier."""
    client = client_as(world, "anonymous")
    response = client.post("/tra-cuu/", {"code": world.own.dossier.code, "digits": "4321"})
    assert response.status_code == 200
    assert response.context["result"] is None
    found = client.post("/tra-cuu/", {"code": world.own.dossier.code, "digits": "5678"})
    assert found.context["result"].code == world.own.dossier.code
