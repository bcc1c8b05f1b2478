"""Versioning rules of the catalogue: drafts, publication, no overlap, abolition."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from procedures import services
from procedures.models import ProcedureVersion, PublishedVersionImmutable, RequiredDocument
from procedures.selectors import latest_versions, procedure_version_on, versions_in_force
from tests.factories import procedure_content, published_procedure

pytestmark = pytest.mark.django_db

D = dt.date


def test_it_creates_a_procedure_as_an_unpublished_draft():
    draft = services.procedure_create(code="1.000948", content=procedure_content(), by=None)
    assert draft.number == 1
    assert draft.status == "draft"
    assert not versions_in_force(on=D(2030, 1, 1)).exists()


def test_it_rejects_a_malformed_code():
    with pytest.raises(ValidationError):
        services.procedure_create(code="1.948", content=procedure_content(), by=None)


def test_it_accepts_a_localised_code():
    draft = services.procedure_create(code="1.000948.H30", content=procedure_content(), by=None)
    assert draft.procedure.code == "1.000948.H30"


def test_it_rejects_content_without_a_known_level_and_writes_nothing():
    with pytest.raises(ValidationError):
        services.procedure_create(
            code="1.000948", content=procedure_content(levels=("ward",)), by=None
        )
    assert not ProcedureVersion.objects.exists()


def test_it_never_changes_a_published_version_in_place():
    version = published_procedure()
    version.name = "Tên khác"
    with pytest.raises(PublishedVersionImmutable):
        version.save()
    with pytest.raises(ValidationError):
        services.procedure_draft_update(
            version=version, content=procedure_content(name="Khác"), by=None
        )
    with pytest.raises(PublishedVersionImmutable):
        RequiredDocument(version=version, name="Tờ khai").save()
    version.refresh_from_db()
    assert version.name == "Đăng ký khai sinh"


def test_it_drafts_a_new_version_as_a_copy_and_closes_the_old_one_on_publish():
    v1 = published_procedure(documents=(services.DocumentSpec("Tờ khai", originals=1),))
    v2 = services.procedure_draft_new(procedure=v1.procedure, by=None)
    assert (v2.number, v2.status, v2.name) == (2, "draft", v1.name)
    assert [d.name for d in v2.documents.all()] == ["Tờ khai"]
    services.procedure_draft_update(
        version=v2, content=procedure_content(processing_time=Decimal("2")), by=None
    )
    services.procedure_publish(version=v2, valid_from=D(2021, 7, 1), by=None)
    v1.refresh_from_db()
    # The old version ends the day before the new one starts: windows never overlap.
    assert v1.valid_to == D(2021, 6, 30)
    assert procedure_version_on(procedure=v1.procedure, on=D(2021, 6, 30)) == v1
    assert procedure_version_on(procedure=v1.procedure, on=D(2021, 7, 1)) == v2
    assert versions_in_force(on=D(2021, 6, 30)).get().processing_time == 3
    assert versions_in_force(on=D(2021, 7, 1)).get().processing_time == 2


def test_it_refuses_a_version_starting_on_or_before_an_existing_one():
    v1 = published_procedure(valid_from=D(2021, 1, 1))
    v2 = services.procedure_draft_new(procedure=v1.procedure, by=None)
    for start in (D(2020, 12, 31), D(2021, 1, 1)):
        with pytest.raises(ValidationError):
            services.procedure_publish(version=v2, valid_from=start, by=None)
    v1.refresh_from_db()
    assert v1.valid_to is None
    v2.refresh_from_db()
    assert v2.status == "draft"


def test_it_allows_only_one_draft_at_a_time():
    v1 = published_procedure()
    services.procedure_draft_new(procedure=v1.procedure, by=None)
    with pytest.raises(ValidationError):
        services.procedure_draft_new(procedure=v1.procedure, by=None)


def test_it_refuses_to_publish_twice():
    v1 = published_procedure()
    with pytest.raises(ValidationError):
        services.procedure_publish(version=v1, valid_from=D(2022, 1, 1), by=None)


def test_it_abolishes_a_procedure_from_a_date():
    v1 = published_procedure(valid_from=D(2020, 1, 1))
    services.procedure_abolish(procedure=v1.procedure, on=D(2025, 7, 1), by=None)
    v1.refresh_from_db()
    assert (v1.valid_to, v1.abolished) == (D(2025, 6, 30), True)
    assert versions_in_force(on=D(2025, 6, 30)).count() == 1
    assert versions_in_force(on=D(2025, 7, 1)).count() == 0
    with pytest.raises(ValidationError):
        services.procedure_abolish(procedure=v1.procedure, on=D(2026, 1, 1), by=None)


def test_it_refuses_to_abolish_before_the_current_version_started():
    v1 = published_procedure(valid_from=D(2021, 1, 1))
    with pytest.raises(ValidationError):
        services.procedure_abolish(procedure=v1.procedure, on=D(2021, 1, 1), by=None)
    v1.refresh_from_db()
    assert v1.valid_to is None


def test_it_lists_the_newest_version_of_each_procedure():
    v1 = published_procedure(code="1.000001")
    v2 = services.procedure_draft_new(procedure=v1.procedure, by=None)
    other = published_procedure(code="1.000002")
    assert set(latest_versions()) == {v2, other}


def test_it_uses_a_channel_specific_processing_time_when_given():
    from procedures.services import ChannelTimeSpec

    version = published_procedure(
        channel_times=(ChannelTimeSpec("online", Decimal("2"), "working_days"),)
    )
    assert version.processing_time_for("online") == (Decimal("2"), "working_days")
    assert version.processing_time_for("direct") == (Decimal("3"), "working_days")
