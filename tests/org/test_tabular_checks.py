"""The row-check toolkit of org/tabular.py: one message text for each check the importers make."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import translation

from org.tabular import (
    FirstRows,
    RowCheck,
    RowErrors,
    decimal_parse,
    list_split,
    small_integer_parse,
    unknown_unit_message,
    unknown_units_message,
)


def checked(row: dict[str, str], number: int = 2) -> tuple[RowCheck, RowErrors]:
    errors = RowErrors()
    return RowCheck(errors, number, row), errors


def lines(errors: RowErrors) -> list[str]:
    return [str(error) for error in errors]


def test_required_reports_each_blank_or_absent_column():
    check, errors = checked({"code": "A", "name": ""})
    with translation.override("en"):
        assert check.required("code", "name", "level") is False
    assert lines(errors) == ["row 2: name: is required", "row 2: level: is required"]
    assert check.failed


def test_max_length_counts_characters_not_bytes():
    check, errors = checked({"name": "ă" * 5})
    with translation.override("en"):
        assert check.max_length("name", 5) is True
        assert check.max_length("name", 4) is False
        assert check.max_length("other", 2, text="abc") is False
    assert lines(errors) == [
        "row 2: name: is 5 characters long, at most 4 allowed",
        "row 2: other: is 3 characters long, at most 2 allowed",
    ]


def test_choice_is_case_blind_and_quotes_the_cell_as_written():
    check, errors = checked({"level": "Commune", "method": "", "channel": "Fax"})
    with translation.override("en"):
        assert check.choice("level", ("commune", "district")) == "commune"
        assert check.choice("method", ("survey",)) == ""
        assert check.choice("absent", ("survey",)) == ""
        assert check.choice("channel", ("direct", "postal"), separator=", ") is None
    assert lines(errors) == ["row 2: channel: 'Fax' is not one of direct, postal"]


def test_dates_reads_present_columns_and_reports_bad_ones():
    check, errors = checked({"valid_from": "05/03/2021", "valid_to": "", "decided": "2021-13-01"})
    with translation.override("en"):
        found = check.dates("valid_from", "valid_to", "decided", "absent")
    assert found == {"valid_from": dt.date(2021, 3, 5), "valid_to": None}
    assert lines(errors) == [
        "row 2: decided: '2021-13-01' is not a date; write YYYY-MM-DD or DD/MM/YYYY"
    ]


def test_flag_takes_zero_one_or_blank():
    check, errors = checked({"a": "1", "b": "0", "c": "", "d": "yes"})
    with translation.override("en"):
        assert [check.flag(column) for column in "abcd"] == [True, False, False, None]
    assert lines(errors) == ["row 2: d: 'yes' must be 0 or 1"]


def test_first_rows_reports_a_repeated_key_with_its_first_row():
    errors = RowErrors()
    first_rows = FirstRows()
    with translation.override("en"):
        assert first_rows.check(errors, 2, "code", "A") is True
        assert first_rows.check(errors, 3, "code", "") is True
        assert first_rows.check(errors, 4, "code", "") is True
        assert first_rows.check(errors, 5, "code", "A") is False
    assert "A" in first_rows and "" not in first_rows
    assert lines(errors) == ["row 5: code: 'A' is already on row 2"]


def test_failed_counts_only_errors_added_after_the_check_began():
    errors = RowErrors()
    errors.add(1, "code", "earlier")
    check = RowCheck(errors, 2, {"code": "A"})
    assert not check.failed
    check.error("code", "later")
    assert check.failed


def test_parsers_and_unit_messages():
    assert decimal_parse("2,5") == Decimal("2.5")
    assert decimal_parse("1e3") == Decimal("1000")
    assert decimal_parse("NaN") is None
    assert decimal_parse("Infinity") is None
    assert decimal_parse("two") is None
    assert small_integer_parse("32767") == 32767
    assert small_integer_parse("32768") is None
    assert small_integer_parse("-1") is None
    assert list_split(" B; A ;;B ") == ("B", "A")
    with translation.override("en"):
        assert unknown_unit_message("X1") == "unknown unit 'X1'"
        assert unknown_units_message(["X1", "X2"]) == "unknown unit(s): X1, X2"
