"""Text hygiene shared by every entry point and every export: the C0 control characters.

A name or address never needs them, and an XLSX file (XML 1.0) cannot hold them: one ``\\x1b``
in an applicant's name used to break every official spreadsheet it reached. Tab, newline and
carriage return are ordinary text (multi-line fields, cells) and are kept.
"""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def control_characters_removed(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None
