"""The settings module: embedded default vs production behaviour."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "x7#kq2!vN9p$Lm4@Zr8^Tw3&Yb6*Hc1(Jd5)Fg0-Se2+Ua7=Qi9_Ox4~Pl3",
    "ALLOWED_HOSTS": "cchc.example.gov.vn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cchc_prod_check",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    base.pop("SECRET_KEY", None)
    base.pop("CELERY_BROKER_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_defaults_to_sqlite_and_eager_celery_with_no_environment():
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER,"
        " settings.DEBUG)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env={})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "True"]


def test_it_uses_postgres_a_real_broker_and_pbkdf2_and_passes_the_deployment_checklist():
    """One production process for both (each costs a Django start-up): the settings it
    resolves, then ``check --deploy --fail-level WARNING`` exactly as the command runs it."""
    code = (
        "from django.conf import settings;"
        "from django.core.management import call_command;"
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER,"
        " settings.PASSWORD_HASHERS[0]);"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    settings_line, checklist = result.stdout.split("\n", 1)
    # The suite hashes with MD5 for speed (tests/conftest.py); production keeps PBKDF2.
    assert settings_line.split() == [
        "django.db.backends.postgresql",
        "False",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    assert "WARNING" not in result.stderr
    assert "no issues" in checklist
