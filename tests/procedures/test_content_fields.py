"""One list of a version's scalar content fields (procedures.models.CONTENT_SCALAR_FIELDS): the
draft form edits them, ProcedureContent copies and compares them."""

from procedures.forms import VERSION_FORM_FIELDS, ProcedureVersionForm
from procedures.models import CONTENT_SCALAR_FIELDS, ProcedureVersion
from procedures.services import ProcedureContent


def test_it_edits_every_scalar_content_field_and_the_implementing_units():
    assert [*CONTENT_SCALAR_FIELDS, "implementing_units"] == VERSION_FORM_FIELDS
    assert list(ProcedureVersionForm.base_fields) == VERSION_FORM_FIELDS


def test_it_copies_and_compares_the_same_fields():
    assert set(ProcedureContent.SCALAR_FIELDS) == set(CONTENT_SCALAR_FIELDS)


def test_it_lists_only_fields_of_a_version():
    names = {field.name for field in ProcedureVersion._meta.get_fields()}
    assert set(CONTENT_SCALAR_FIELDS) <= names
