"""The dossier code as a QR code, inline SVG (no image file, no external request)."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, scale: int = 3) -> SafeString:
    """An ``<svg>`` element encoding ``data``; medium error correction survives a worn slip."""
    code = segno.make(data, error="m", micro=False)
    # segno writes only its own markup (paths of the modules), so the result is safe to inline.
    return mark_safe(code.svg_inline(scale=scale, border=2, svgclass="print-qr"))
