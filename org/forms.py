"""Helpers shared by the forms of every app."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


def form_errors_text(form: forms.Form) -> str:
    """A form's errors as one line, "Label: message" per field, for a 400 page or a message."""
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        text = " ".join(errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


class PortalLoginForm(AuthenticationForm):
    """Username and password, plus the authenticator code for users who switched it on."""

    otp_token = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=8,
        help_text=_("Only if you have switched on two-step login."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        user = self.get_user()
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True)) if user else []
        if not devices:
            return cleaned
        token = (cleaned.get("otp_token") or "").strip()
        device = next((device for device in devices if token and device.verify_token(token)), None)
        if device is None:
            # On the code field, so the page does not claim the password was wrong.
            self.add_error(
                "otp_token",
                _("Wrong or expired code. Enter the code the app shows now.")
                if token
                else _("Enter the 6-digit code from your authenticator app."),
            )
            return cleaned
        user.otp_device = device  # django-otp marks the session verified on login
        return cleaned


class TwoFactorCodeForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from the app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits the app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
