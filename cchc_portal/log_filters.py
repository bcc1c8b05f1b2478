"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer (403 PermissionDenied, 400 BadRequest) logs one line, without a traceback.

    Django attaches the exception to the "Forbidden (Permission denied)" record, so every
    refused request printed a full traceback; the client's mistake is not a fault in the code.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
