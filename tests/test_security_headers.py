"""Secure headers on every page: Content-Security-Policy (django-csp) and friends (issue 9)."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def policy_of(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (piece.strip() for piece in header.split(";"))
        if part
    }


def test_pages_allow_scripts_only_from_the_portal(client):
    policy = policy_of(client.get("/dang-nhap/"))

    assert policy["default-src"] == "'self'"
    assert policy["script-src"].startswith("'self'")
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


def test_an_inline_script_runs_only_with_the_nonce_of_its_response(client):
    from django.core.files.base import ContentFile

    from org.models import Role
    from procedures.models import ImportJobStatus, ProcedureImportJob
    from tests.factories import MembershipFactory, UserFactory

    administrator = UserFactory(username="quantri", is_staff=True)
    MembershipFactory(user=administrator, role=Role.ADMINISTRATOR)
    client.force_login(administrator)
    job = ProcedureImportJob(filename="tthc.csv", status=ImportJobStatus.RUNNING)
    job.upload.save("tthc.csv", ContentFile(b"code,name\n"), save=True)

    response = client.get(f"/admin/procedures/procedureversion/import/{job.pk}/")

    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", policy_of(response)["script-src"]).group(1)
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_no_template_uses_inline_event_handlers():
    handler = re.compile(r"<[^>]+\son(click|change|submit|load|input)=", re.IGNORECASE)
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        if handler.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_api_docs_need_no_inline_script(admin_client):
    page = admin_client.get("/api/docs/")

    assert page.status_code == 200
    assert "<script>" not in page.content.decode()
