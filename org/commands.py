"""What the import commands share: the ``file`` argument and the ``--by`` actor, turning a file or
a database that failed into one line, and a refused import into its error lines; each failure
ends with exit status 1."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from org.tabular import RowErrors, TabularError


def import_arguments_add(parser: CommandParser, *, by: bool = True) -> None:
    """The ``file`` argument of every import command, and its ``--by`` option unless ``by`` is
    false."""
    parser.add_argument("file", help="path of the .csv or .xlsx file")
    if by:
        by_argument_add(parser)


def import_errors_fail(command: BaseCommand, errors: RowErrors) -> None:
    """Nothing when ``errors`` is empty; otherwise print every ``row N: column: message`` line
    and stop with exit status 1 (an all-or-nothing import wrote nothing)."""
    if not errors:
        return
    for line in errors.lines():
        command.stderr.write(line)
    raise CommandError(
        _("Nothing was imported: %(count)d error(s) in %(rows)d row(s).")
        % {"count": len(errors), "rows": len(errors.rows())},
        returncode=1,
    )


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
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CommandError(
            _("Nothing was imported: the database refused the import (%(reason)s).")
            % {"reason": reason},
            returncode=1,
        ) from exc


def moment_argument_parse(text: str, *, option: str, example: str) -> dt.datetime:
    """The ISO 8601 date-time given to ``option``; without an offset it is local time."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"{option} {text!r} is not an ISO 8601 date-time such as {example}."
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def import_run(
    command: BaseCommand, by: str | None, run: Callable[[AbstractBaseUser | None], Any]
) -> tuple[Any, float]:
    """One import as the ``--by`` user: ``run(actor)``, with an unreadable file or a database
    that refused reported as one line, then every error line and exit status 1 if the import
    was refused. The import's result and the seconds it took."""
    started = time.perf_counter()
    actor = import_actor(by)
    with import_failures_reported():
        result = run(actor)
    import_errors_fail(command, result.errors)
    return result, time.perf_counter() - started
