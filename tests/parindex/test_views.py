"""The PAR index pages: who may do what, the ranking's figures, and its query count."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from committee.parindex import services
from committee.parindex.models import (
    Assessment,
    AssessmentStatus,
    Evidence,
    Framework,
    FrameworkStatus,
    Score,
)
from committee.parindex.selectors import par_ranking
from org.models import Role, UnitLevel
from tests.factories import UnitFactory
from tests.parindex.conftest import (
    SMALL_FRAMEWORK,
    client_for,
    leaf,
    member,
    small_framework,
)
from tests.parindex.helpers import appraised_assessment

pytestmark = pytest.mark.django_db

D = Decimal
PDF = b"%PDF-1.7\n1 0 obj\n"
FULL = {"1.1.1": "2.5", "1.1.2": "3.5", "1.2": "4", "2.1": "7", "2.2": "3"}  # 20 of 20


def self_post(framework, values: dict[str, str], **extra) -> dict:
    data = dict(extra)
    for code, value in values.items():
        pk = leaf(framework, code).pk
        data[f"score_{pk}"] = value
        data[f"text_{pk}"] = f"Giải trình {code}"
    return data


# Anonymous users and permissions ------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["parindex:index", "parindex:ranking", "parindex:framework_list"]
)
def test_it_sends_anonymous_users_to_login(client, url_name) -> None:
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_unit_staff_fill_in_and_submit_their_own_self_assessment(
    framework, commune, commune_officer
) -> None:
    client = client_for(commune_officer)
    response = client.post(
        reverse("parindex:assessment_start"), {"framework": framework.pk, "year": 2021}
    )
    assessment = Assessment.objects.get(unit=commune, year=2021)
    assert response.url == reverse("parindex:assessment_edit", args=[assessment.pk])
    edit_url = reverse("parindex:assessment_edit", args=[assessment.pk])
    assert client.get(edit_url).status_code == 200
    values = {"1.1.1": "2,5", "1.1.2": "3", "1.2": "3.75", "2.1": "7"}
    response = client.post(edit_url, self_post(framework, values, submit="1"))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    score = Score.objects.get(assessment=assessment, criterion__code="1.1.1")
    assert (score.self_score, score.explanation) == (D("2.5"), "Giải trình 1.1.1")
    # Locked now: the form sends the unit back to the read-only page.
    assert client.get(edit_url).url == reverse("parindex:assessment_detail", args=[assessment.pk])
    detail = client.get(reverse("parindex:assessment_detail", args=[assessment.pk]))
    assert detail.status_code == 200
    assert detail.context["sheet"].self_total == D("16.25")


def test_it_answers_400_with_the_errors_for_a_score_above_the_maximum(
    framework, commune, commune_officer
) -> None:
    assessment = services.assessment_start(framework=framework, unit=commune, year=2021, by=None)
    client = client_for(commune_officer, english=True)
    response = client.post(
        reverse("parindex:assessment_edit", args=[assessment.pk]),
        self_post(framework, {"1.2": "4.5", "2.1": "abc"}, save="1"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[f"score_{leaf(framework, '1.2').pk}"] == [
        "Ensure this value is less than or equal to 4.00."
    ]
    assert f"score_{leaf(framework, '2.1').pk}" in form.errors
    assert not Score.objects.filter(self_score__isnull=False).exists()


def test_another_units_self_assessment_answers_404(
    framework, commune, other_officer, commune_officer
) -> None:
    assessment = services.assessment_start(framework=framework, unit=commune, year=2021, by=None)
    client = client_for(other_officer)
    for name in ("assessment_edit", "assessment_detail"):
        assert client.get(reverse(f"parindex:{name}", args=[assessment.pk])).status_code == 404
    response = client.post(
        reverse("parindex:assessment_edit", args=[assessment.pk]),
        self_post(framework, {"1.2": "4"}, save="1"),
    )
    assert response.status_code == 404
    upload = SimpleUploadedFile("x.pdf", PDF)
    response = client.post(
        reverse("parindex:evidence_upload", args=[assessment.pk]),
        {"criterion": leaf(framework, "1.2").pk, "file": upload},
    )
    assert response.status_code == 404
    assert not Score.objects.filter(self_score__isnull=False).exists()


def test_the_district_sees_a_communes_assessment_but_cannot_edit_it(
    framework, commune, district
) -> None:
    assessment = services.assessment_start(framework=framework, unit=commune, year=2021, by=None)
    client = client_for(member(Role.UNIT_LEADER, district))
    assert (
        client.get(reverse("parindex:assessment_detail", args=[assessment.pk])).status_code == 200
    )
    assert client.get(reverse("parindex:assessment_edit", args=[assessment.pk])).status_code == 404


def test_only_the_committee_appraises(framework, commune, commune_officer) -> None:
    assessment = appraised_assessment(framework, commune, 2021, FULL, complete=False)
    url = reverse("parindex:assessment_appraise", args=[assessment.pk])
    data = self_post(framework, {"2.2": "1"}, save="1")
    assert client_for(commune_officer).get(url).status_code == 403
    assert client_for(commune_officer).post(url, data).status_code == 403
    complete_url = reverse("parindex:assessment_return", args=[assessment.pk])
    assert client_for(commune_officer).post(complete_url).status_code == 403
    assert Score.objects.get(assessment=assessment, criterion__code="2.2").appraised_score == 3


def test_a_committee_member_of_another_tree_gets_404(framework, commune) -> None:
    assessment = appraised_assessment(framework, commune, 2021, FULL, complete=False)
    elsewhere = UnitFactory(code="000.00.00.H01", level=UnitLevel.PROVINCE)
    client = client_for(member(Role.COMMITTEE_MEMBER, elsewhere))
    url = reverse("parindex:assessment_appraise", args=[assessment.pk])
    assert client.get(url).status_code == 404


def test_the_committee_appraises_and_completes(framework, commune, committee_member) -> None:
    assessment = appraised_assessment(framework, commune, 2021, FULL, complete=False)
    client = client_for(committee_member)
    url = reverse("parindex:assessment_appraise", args=[assessment.pk])
    assert client.get(url).status_code == 200
    values = {"1.1.1": "2", "1.1.2": "3,5", "1.2": "3", "2.1": "6.5", "2.2": "2.25"}
    response = client.post(url, self_post(framework, values, complete="1"))
    assert response.url == reverse("parindex:assessment_detail", args=[assessment.pk])
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPRAISED
    detail = client.get(response.url)
    sheet = detail.context["sheet"]
    assert sheet.appraised_total == D("17.25")  # 2 + 3.5 + 3 + 6.5 + 2.25
    assert sheet.appraised_percent == D("86.25")
    assert sheet.band.min_percent == D("80")  # the "Fair" (Khá) band: 80–90 %
    assert AuditEntry.objects.filter(action="appraise", actor=committee_member).count() == 5


def test_evidence_is_uploaded_and_downloaded_only_by_those_who_see_the_unit(
    framework, commune, commune_officer, other_officer, committee_member
) -> None:
    assessment = services.assessment_start(framework=framework, unit=commune, year=2021, by=None)
    client = client_for(commune_officer, english=True)
    response = client.post(
        reverse("parindex:evidence_upload", args=[assessment.pk]),
        {"criterion": leaf(framework, "1.2").pk, "file": SimpleUploadedFile("bc.pdf", PDF)},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    url = reverse("parindex:evidence_download", args=[assessment.pk, evidence.pk])
    download = client_for(committee_member).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert client_for(other_officer).get(url).status_code == 404
    # A renamed executable is refused with the reason, and nothing is stored.
    response = client.post(
        reverse("parindex:evidence_upload", args=[assessment.pk]),
        {"criterion": leaf(framework, "1.2").pk, "file": SimpleUploadedFile("a.pdf", b"MZ")},
        follow=True,
    )
    assert "is not a real PDF file" in response.content.decode()
    assert Evidence.objects.count() == 1


# Frameworks -----------------------------------------------------------------------------------


def csv_upload(rows: list[dict], name: str = "bo-chi-so.csv") -> SimpleUploadedFile:
    lines = ["code,name,max_points,method"]
    lines += [f'{r["code"]},{r["name"]},"{r["max_points"]}",{r["method"]}' for r in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode())


def test_the_committee_imports_a_framework_from_the_page(committee_member) -> None:
    client = client_for(committee_member)
    response = client.post(
        reverse("parindex:framework_import"),
        {
            "upload": csv_upload(SMALL_FRAMEWORK),
            "name": "Bộ chỉ số xã",
            "year_from": 2021,
            "year_to": 2023,
            "level": "commune",
        },
    )
    framework = Framework.objects.get()
    assert response.url == reverse("parindex:framework_detail", args=[framework.pk])
    assert (framework.year_from, framework.year_to, framework.created_by) == (
        2021,
        2023,
        committee_member,
    )
    assert framework.criteria.count() == 8
    client.post(reverse("parindex:framework_publish", args=[framework.pk]))
    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.PUBLISHED


def test_the_import_page_lists_every_error_and_writes_nothing(committee_member) -> None:
    rows = [dict(row) for row in SMALL_FRAMEWORK]
    rows[4]["max_points"] = "5"
    client = client_for(committee_member, english=True)
    response = client.post(
        reverse("parindex:framework_import"),
        {"upload": csv_upload(rows), "name": "X", "year_from": 2021, "level": "commune"},
    )
    assert response.status_code == 400
    assert response.context["errors"] == [
        "row 2: max_points: the sub-criteria 1.1, 1.2 add up to 11.00, not 10.00"
    ]
    response = client.post(
        reverse("parindex:framework_import"),
        {
            "upload": SimpleUploadedFile("bad.csv", "code,name\n1,Lĩnh vực\n".encode("utf-16")),
            "name": "X",
            "year_from": 2021,
            "level": "commune",
        },
    )
    assert response.status_code == 400
    assert "bad.csv" in response.context["errors"][0]
    assert not Framework.objects.exists()


def test_only_the_committee_imports_and_publishes(framework, commune_officer) -> None:
    client = client_for(commune_officer)
    assert client.get(reverse("parindex:framework_import")).status_code == 403
    draft = small_framework(publish=False, name="Nháp")
    assert client.post(reverse("parindex:framework_publish", args=[draft.pk])).status_code == 403
    # Unit staff do not even see drafts.
    assert client.get(reverse("parindex:framework_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("parindex:framework_detail", args=[framework.pk])).status_code == 200


# The ranking ----------------------------------------------------------------------------------


@pytest.fixture
def communes(district):
    return [
        UnitFactory(code=f"00{n}.37.H99", name=f"UBND xã {n}", level="commune", parent=district)
        for n in range(1, 6)
    ]


def test_the_ranking_ranks_ties_bands_and_the_change_since_last_year(
    framework, communes, committee_member
) -> None:
    a, b, c, d, e = communes
    # 2020: d 1st, a 2nd, b 3rd, c 4th.
    for unit, total_21 in ((d, "7"), (a, "6"), (b, "5"), (c, "4")):
        appraised_assessment(framework, unit, 2020, {"2.1": total_21})
    # 2021 (max 20): a 18 (90 %), b 15.5 and c 15.5 (77.5 %), d 12 (60 %); e only submitted.
    appraised_assessment(framework, a, 2021, {**FULL, "1.2": "2"}, self_scores=FULL)
    appraised_assessment(framework, b, 2021, {"1.1.1": "2.5", "1.1.2": "3", "1.2": "4", "2.1": "6"})
    appraised_assessment(framework, c, 2021, {"1.2": "4", "2.1": "7", "1.1.2": "3.5", "2.2": "1"})
    appraised_assessment(framework, d, 2021, {"2.1": "7", "2.2": "3", "1.2": "2"})
    appraised_assessment(framework, e, 2021, FULL, complete=False)

    client = client_for(committee_member)
    response = client.get(reverse("parindex:ranking"), {"framework": framework.pk, "year": 2021})
    assert response.status_code == 200
    ranking = response.context["ranking"]
    table = [
        (
            row.unit.code,
            row.self_total,
            row.appraised_total,
            row.percent,
            row.rank,
            row.band.min_percent if row.band else None,
            row.previous_rank,
            row.change,
        )
        for row in ranking.rows
    ]
    # Bands by their minimum: Good ≥ 90, Average ≥ 65, Weak ≥ 0.
    assert [(row[0], row[5]) for row in table] == [
        (a.code, D("90")),
        (b.code, D("65")),
        (c.code, D("65")),
        (d.code, D("0")),
        (e.code, None),
    ]
    assert [row[1:5] for row in table] == [
        (D("17.00"), D("18.00"), D("90.00"), 1),  # the unit cannot score the survey
        (D("15.50"), D("15.50"), D("77.50"), 2),
        (D("14.50"), D("15.50"), D("77.50"), 2),  # the survey's 1 point is the committee's
        (D("9.00"), D("12.00"), D("60.00"), 4),
        (D("17.00"), None, None, None),  # submitted, not appraised: listed without a rank
    ]
    assert [(row[6], row[7]) for row in table] == [(2, 1), (3, 1), (4, 2), (1, -3), (None, None)]
    # Appraisal − self on the self-assessed criteria only: a lost 2 points on 1.2.
    assert [row.difference for row in ranking.rows] == [D("-2"), 0, 0, 0, None]
    lowest = ranking.lowest
    assert [row.unit.code for row in lowest] == [b.code, c.code, d.code]  # ties kept together
    assert [(loss.criterion.code, loss.lost) for loss in lowest[-1].losses] == [
        ("1.1.2", D("3.50")),
        ("1.1.1", D("2.50")),
        ("1.2", D("2.00")),
    ]
    content = response.content.decode()
    assert "UBND xã 4" in content and "▼ 3" in content


def test_the_ranking_is_for_the_committee_only(framework, commune_officer) -> None:
    assert client_for(commune_officer).get(reverse("parindex:ranking")).status_code == 403


def test_the_ranking_answers_400_for_a_bad_year(framework, committee_member) -> None:
    response = client_for(committee_member).get(
        reverse("parindex:ranking"), {"framework": framework.pk, "year": "abc"}
    )
    assert response.status_code == 400


def test_the_ranking_query_count_does_not_grow_with_units(
    framework, district, committee_member, django_assert_max_num_queries
) -> None:
    client = client_for(committee_member)
    url = reverse("parindex:ranking")
    params = {"framework": framework.pk, "year": 2021}

    def add_units(count: int, start: int) -> None:
        for n in range(start, start + count):
            unit = UnitFactory(code=f"{n:03d}.37.H99", level="commune", parent=district)
            appraised_assessment(framework, unit, 2020, {"2.1": str(n % 7)})
            appraised_assessment(framework, unit, 2021, {"1.2": str(n % 4), "2.1": "5"})

    add_units(3, 1)
    client.get(url, params)  # warm the session and caches
    with django_assert_max_num_queries(20) as few:
        assert client.get(url, params).status_code == 200
    add_units(12, 10)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url, params)
    assert len(response.context["ranking"].rows) == 15
    assert len(many.captured_queries) == len(few.captured_queries)


def test_par_ranking_only_counts_units_the_user_sees(framework, communes, district) -> None:
    appraised_assessment(framework, communes[0], 2021, FULL)
    appraised_assessment(framework, communes[1], 2021, {"2.1": "1"})
    leader = member(Role.UNIT_LEADER, communes[1])
    ranking = par_ranking(framework=framework, year=2021, user=leader)
    assert [(row.unit, row.rank) for row in ranking.rows] == [(communes[1], 1)]


# Pages render -----------------------------------------------------------------------------------


def test_the_overview_pages_render(framework, commune, commune_officer, committee_member) -> None:
    appraised_assessment(framework, commune, 2021, FULL, complete=False)
    for user in (commune_officer, committee_member):
        client = client_for(user)
        for name in ("parindex:index", "parindex:framework_list"):
            assert client.get(reverse(name)).status_code == 200
        assert (
            client.get(reverse("parindex:framework_detail", args=[framework.pk])).status_code == 200
        )
    page = client_for(committee_member).get(reverse("parindex:index"))
    assert page.context["to_appraise"].count() == 1
    assert BytesIO(page.content).getvalue().count(b"UBND x\xc3\xa3 M\xe1\xbb\x99t") >= 1


def test_starting_outside_the_frameworks_years_creates_nothing(
    framework, commune, commune_officer
) -> None:
    client = client_for(commune_officer, english=True)
    response = client.post(
        reverse("parindex:assessment_start"),
        {"framework": framework.pk, "year": 2019},
        follow=True,
    )
    assert "applies to 2020–2022, not 2019" in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_import_page_refuses_other_file_types(committee_member) -> None:
    response = client_for(committee_member, english=True).post(
        reverse("parindex:framework_import"),
        {
            "upload": SimpleUploadedFile("bo-chi-so.pdf", PDF),
            "name": "X",
            "year_from": 2021,
            "level": "commune",
        },
    )
    assert response.status_code == 400
    assert "is not a CSV or XLSX file" in response.content.decode()
    assert not Framework.objects.exists()


def test_the_score_sheet_query_count_does_not_grow_with_evidence(
    framework, commune, commune_officer, django_assert_max_num_queries
) -> None:
    assessment = services.assessment_start(framework=framework, unit=commune, year=2021, by=None)
    client = client_for(commune_officer)
    urls = [
        reverse("parindex:assessment_detail", args=[assessment.pk]),
        reverse("parindex:assessment_edit", args=[assessment.pk]),
    ]

    def add_evidence(count: int) -> None:
        for n in range(count):
            services.evidence_add(
                assessment=assessment,
                criterion=leaf(framework, ("1.1.1", "1.2", "2.1")[n % 3]),
                upload=SimpleUploadedFile(f"minh-chung-{n}.pdf", PDF),
                by=None,
            )

    add_evidence(1)
    counts = []
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(25) as captured:
            client.get(url)
        counts.append(len(captured.captured_queries))
    add_evidence(6)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
