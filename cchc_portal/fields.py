"""Model fields declared the same way across the apps."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


def optional_reference(to: Any, verbose_name: str, *, on_delete: Any) -> models.ForeignKey:
    """A foreign key that may be blank (who or which unit, when known) and has no reverse
    accessor (``related_name="+"``)."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name="+",
    )


def optional_user(verbose_name: str, *, on_delete: Any) -> models.ForeignKey:
    """The user who did something, when known: an :func:`optional_reference` to the user
    model."""
    return optional_reference(settings.AUTH_USER_MODEL, verbose_name, on_delete=on_delete)
