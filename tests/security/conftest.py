import copy

import pytest

from .world import World, world_build


@pytest.fixture(scope="module")
def _module_media(tmp_path_factory):
    """One throw-away media folder per test module: the module's world keeps its files
    (evidence, meeting attachment, progress report) there for every test that reads them."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, _module_media):
    """Replaces the suite's per-test media folder with the module's (still never var/media),
    so that the files of the module-scoped world stay readable."""
    settings.MEDIA_ROOT = _module_media


@pytest.fixture(scope="module")
def _world_built(django_db_setup, django_db_blocker, _module_media):
    """The world, built once for the module inside a transaction rolled back at its end; each
    test runs in a savepoint on top (pytest-django's ``db``), so what a test writes is gone
    for the next. Built as the function-scoped fixtures would have it: Vietnamese, tasks run
    in this process, an empty cache, files in the module's media folder."""
    from django.core.cache import cache
    from django.db import transaction
    from django.test import override_settings

    from cchc_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    outer = transaction.atomic()
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(LANGUAGE_CODE="vi", MEDIA_ROOT=_module_media),
        ):
            cache.clear()
            outer.__enter__()
            try:
                built = world_build()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
    finally:
        app.conf.task_always_eager = previous
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_world_built, db) -> World:
    """The module's world as it was built: a copy, so that a test changing one of its objects
    in memory (``users["admin"].is_superuser = True``) leaves the next test's copy alone."""
    return copy.deepcopy(_world_built)
