"""What may be attached to a meeting, a progress report or PAR-index evidence: office
documents and scans.

The extension must be one of the allowed ones *and* the file must start as such a file does
(PDF, Office Open XML / OpenDocument zip, legacy Office, JPEG, PNG): a renamed executable or
HTML page is refused. Files are downloaded through views that check who may see them; they are
never served from the media folder directly.
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# Extension → the first bytes such a file starts with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def attachment_max_bytes() -> int:
    return int(getattr(settings, "COMMITTEE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def attachment_problem(*, name: str, size: int, head: bytes, max_bytes: int) -> str | None:
    """Why a file of this name, size and first bytes is refused, or None when it is fine."""
    extension = PurePath(name).suffix.lower()
    if extension not in SIGNATURES:
        return _("%(name)s: this type of file is not accepted; attach %(allowed)s.") % {
            "name": name,
            "allowed": ", ".join(sorted(ext.lstrip(".").upper() for ext in SIGNATURES)),
        }
    if size == 0:
        return _("%(name)s is empty.") % {"name": name}
    if size > max_bytes:
        return _("%(name)s is %(size)s; the limit is %(limit)s.") % {
            "name": name,
            "size": filesizeformat(size),
            "limit": filesizeformat(max_bytes),
        }
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        return _("%(name)s is not a real %(type)s file.") % {
            "name": name,
            "type": extension.lstrip(".").upper(),
        }
    return None


def attachment_validate(upload: UploadedFile, *, max_bytes: int | None = None) -> str:
    """Raise ``ValidationError`` with the reason when ``upload`` may not be attached (at most
    ``max_bytes``, default ``COMMITTEE_ATTACHMENT_MAX_BYTES``); else its extension, e.g. "pdf"."""
    name = PurePath(upload.name or "").name
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    problem = attachment_problem(
        name=name,
        size=upload.size or 0,
        head=head,
        max_bytes=attachment_max_bytes() if max_bytes is None else max_bytes,
    )
    if problem:
        raise ValidationError(problem, code="attachment")
    return PurePath(name).suffix.lower().lstrip(".")
