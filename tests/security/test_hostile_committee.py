"""The committee's forms and the PAR framework import under hostile input.

Whatever is posted or imported, the answer is a page, a redirect or a clear 4xx / CommandError,
never a 500; and a refusal writes nothing (rows and audit entries counted before and after).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEntry
from committee.models import Conclusion, Meeting, Task, TaskReport
from committee.parindex.models import Criterion, Framework

from .hostile import ENCODINGS, file_write, hostile_text
from .world import FRAMEWORK_ROWS, World, client_as

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def counts() -> tuple:
    return (
        Meeting.objects.count(),
        Conclusion.objects.count(),
        Task.objects.count(),
        TaskReport.objects.count(),
        Framework.objects.count(),
        Criterion.objects.count(),
        AuditEntry.objects.count(),
    )


def post_cleanly(client, url: str, data: dict) -> bool:
    """True when the post was taken (a redirect); False when refused, and then nothing was
    written."""
    before = counts()
    response = client.post(url, data)
    assert response.status_code < 500, response.status_code
    if response.status_code == 302:
        return True
    assert 200 <= response.status_code < 500
    assert counts() == before, f"refused ({response.status_code}) but wrote rows"
    return False


MEETING = {
    "held_on": "2021-03-25",
    "kind": "quarterly",
    "title": "Họp Ban chỉ đạo CCHC quý I năm 2021",
    "chair": "Chủ tịch UBND huyện",
    "notice_number": "38/TB-UBND",
    "notice_date": "2021-03-29",
    "attendees": "Các thành viên Ban chỉ đạo",
    "minutes": "",
}


def test_the_meeting_form_takes_or_refuses_hostile_input_cleanly(world: World):
    client = client_as(world, "committee")
    url = reverse("committee:meeting_create")

    @HYPOTHESIS
    @given(field=st.sampled_from([*sorted(MEETING), "unit"]), value=hostile_text())
    def check(field, value):
        data = {**MEETING, "unit": world.district.pk, field: value}
        before = counts()
        if post_cleanly(client, url, data):
            assert counts()[0] == before[0] + 1

    check()


def test_the_progress_report_takes_or_refuses_hostile_input_cleanly(world: World):
    client = client_as(world, "leader")
    url = reverse("committee:task_report", args=[world.own.task.pk])

    @HYPOTHESIS
    @given(text=hostile_text(), percent=st.one_of(hostile_text(), st.integers(-5, 105)))
    def check(text, percent):
        before = counts()
        if post_cleanly(client, url, {"text": text, "percent": percent}):
            assert counts()[3] == before[3] + 1

    check()


def test_the_par_framework_import_imports_or_refuses_cleanly(world: World):
    @HYPOTHESIS
    @given(
        row=st.integers(0, len(FRAMEWORK_ROWS) - 1),
        column=st.sampled_from(sorted(FRAMEWORK_ROWS[0])),
        value=hostile_text(),
        encoding=st.sampled_from(ENCODINGS),
    )
    def check(row, column, value, encoding):
        rows = [dict(item) for item in FRAMEWORK_ROWS]
        rows[row][column] = value
        before = counts()
        with tempfile.TemporaryDirectory() as directory:
            path = file_write(Path(directory), rows, encoding)
            try:
                call_command(
                    "import_par_framework",
                    str(path),
                    "--name",
                    "Bộ chỉ số thử",
                    "--year",
                    "2022",
                    stdout=_Sink(),
                    stderr=_Sink(),
                )
            except CommandError as error:
                assert str(error), "a refusal must say why"
                assert counts() == before, "the import refused the file but wrote rows"

    check()


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def test_the_self_assessment_sheet_saves_or_refuses_hostile_scores_cleanly(world: World):
    from committee.parindex.models import Score

    client = client_as(world, "leader")
    assessment = world.own.assessment
    leaf = assessment.framework.criteria.get(is_leaf=True)
    url = reverse("parindex:assessment_edit", args=[assessment.pk])

    @HYPOTHESIS
    @given(score=hostile_text(), text=hostile_text())
    def check(score, text):
        before = list(Score.objects.filter(assessment=assessment).values_list("self_score"))
        response = client.post(url, {f"score_{leaf.pk}": score, f"text_{leaf.pk}": text})
        assert response.status_code < 500, response.status_code
        saved = Score.objects.filter(assessment=assessment, criterion=leaf).first()
        if response.status_code == 400:
            assert (
                list(Score.objects.filter(assessment=assessment).values_list("self_score"))
                == before
            )
        elif saved is not None and saved.self_score is not None:
            assert 0 <= saved.self_score <= leaf.max_points

    check()
