"""The Vietnamese catalogue is complete: every UI string has a reviewed translation."""

import gettext
import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def entries() -> list[str]:
    text = CATALOGUE.read_text(encoding="utf-8")
    return [block for block in text.split("\n\n")[1:] if "msgid" in block]


def test_it_leaves_no_vietnamese_entry_untranslated():
    untranslated = [
        block
        for block in entries()
        if not block.lstrip().startswith("#~") and re.search(r'msgstr(\[\d\])? ""\s*$', block)
    ]
    assert untranslated == []


def test_it_leaves_no_fuzzy_guess_in_the_vietnamese_catalogue():
    assert [block for block in entries() if "#, fuzzy" in block] == []


def test_it_ships_a_compiled_catalogue_matching_its_source():
    """`make run` uses the committed .mo (no gettext tools needed), so it must be recompiled
    whenever the .po changes."""
    with CATALOGUE.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    def unquote(part: str) -> str:
        text = "".join(re.findall(r'"(.*)"', part))
        return text.replace('\\"', '"').replace("\\n", "\n")

    for block in entries():
        if block.lstrip().startswith("#~") or "msgid_plural" in block or "msgctxt" in block:
            continue
        source, translated = block.split("msgid ", 1)[1].split("\nmsgstr ")
        assert compiled.gettext(unquote(source)) == unquote(translated), unquote(source)
