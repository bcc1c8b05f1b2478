import pytest

from tests.factories import member

DEMO_PROVINCE = "000.00.00.H21"


@pytest.fixture
def committee(client, demo_data):
    """The test client logged in as a steering committee member of the demo's province."""
    client.force_login(member(DEMO_PROVINCE))
    return client


@pytest.fixture
def today_is(monkeypatch):
    """Set the portal's "today" (timezone.localdate() without arguments)."""
    from django.utils import timezone

    original = timezone.localdate

    def set_today(day) -> None:
        monkeypatch.setattr(
            timezone,
            "localdate",
            lambda value=None, timezone=None: day if value is None else original(value, timezone),
        )

    return set_today
