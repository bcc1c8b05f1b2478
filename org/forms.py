"""Helpers shared by the forms of every app."""

from __future__ import annotations

from django import forms


def form_errors_text(form: forms.Form) -> str:
    """A form's errors as one line, "Label: message" per field, for a 400 page or a message."""
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        text = " ".join(errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)
