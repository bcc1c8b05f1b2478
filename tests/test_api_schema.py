"""The OpenAPI schema of the whole API (dossiers, procedures, committee): generated and validated
once for the module, since that is slow, with any warning failing it."""

import io

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def schema() -> str:
    out = io.StringIO()
    call_command("spectacular", "--fail-on-warn", "--validate", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    "path", ["/api/v1/dossiers/", "/api/v1/procedures/", "/api/v1/committee/tasks/"]
)
def test_the_schema_generates_without_warnings_and_lists(schema: str, path: str) -> None:
    assert f"  {path}:" in schema
