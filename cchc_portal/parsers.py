"""The API's JSON parser, refusing bodies nested deeper than any payload of the portal."""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding

# The deepest API payload (an intake with its applicant and papers) is 3 levels deep; Python's
# decoder recurses once per level and fails with RecursionError (a 500) near 1,000.
MAX_JSON_DEPTH = 32

# A JSON string (escapes included) or one bracket: brackets inside strings do not nest.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def json_nesting_exceeds(text: str, limit: int) -> bool:
    """Whether arrays and objects in ``text`` nest more than ``limit`` levels deep.

    A scan without recursion, run before the decoder: it never parses what it refuses.
    """
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser behind a nesting check: too deep is a 400 with a clear message."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        parser_context = parser_context or {}
        # DRF's own check: a text charset only (a bz2 "charset" would inflate the body).
        encoding = get_encoding(parser_context)
        body = stream.read()
        if json_nesting_exceeds(body.decode(encoding, errors="replace"), MAX_JSON_DEPTH):
            raise ParseError(
                _("The JSON body is nested deeper than %(limit)d levels.")
                % {"limit": MAX_JSON_DEPTH}
            )
        return super().parse(io.BytesIO(body), media_type, parser_context)
