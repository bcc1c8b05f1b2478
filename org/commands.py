"""What the import commands share: turning a failed import into one line and exit status 1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from org.tabular import TabularError


@contextmanager
def import_failures_reported() -> Iterator[None]:
    """Report an unreadable file or a database that refused the import as one line.

    Every import writes in one transaction, so when the database itself fails part-way
    (disk full, connection lost, a trigger refusing a row) nothing was written: the
    officer needs to know that and why, not a traceback.
    """
    try:
        yield
    except TabularError as exc:
        raise CommandError(str(exc), returncode=1) from exc
    except (DatabaseError, psycopg.Error) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CommandError(
            _("Nothing was imported: the database refused the import (%(reason)s).")
            % {"reason": reason},
            returncode=1,
        ) from exc
