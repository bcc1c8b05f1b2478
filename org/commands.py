"""What the import commands share: the ``--by`` actor, and turning a failed import into one line
and exit status 1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from org.tabular import TabularError


def by_argument_add(parser: CommandParser) -> None:
    """The ``--by USERNAME`` option of every import command."""
    parser.add_argument(
        "--by",
        metavar="USERNAME",
        default=None,
        help="the active user the import is recorded as made by (events, audit trail)",
    )


def import_actor(username: str | None) -> AbstractBaseUser | None:
    """The active user named by ``--by`` (``None`` without it).

    Checked before the file is opened: an unknown or inactive name stops the command with
    nothing written, rather than recording an import by nobody.
    """
    if username is None:
        return None
    user_model = get_user_model()
    user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
    if user is None:
        raise CommandError(
            _("--by: no user is named '%(username)s'; nothing was imported.")
            % {"username": username},
            returncode=1,
        )
    if not user.is_active:
        raise CommandError(
            _("--by: the user '%(username)s' is inactive; nothing was imported.")
            % {"username": username},
            returncode=1,
        )
    return user


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
