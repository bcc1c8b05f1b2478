"""Two administrative trees, staff of every role in one commune of the first, and dossiers in
a commune of the first tree (own unit) and in a commune of the second (another unit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.test import Client

from dossiers.models import Dossier
from dossiers.services import dossier_refuse
from org.models import Role, Unit, UnitLevel
from tests.factories import VN, MembershipFactory, UnitFactory, UserFactory, published_procedure
from tests.factories import received_dossier as dossier_received
from tests.steps import apology_issued, supplement_requested

PROCEDURE_CODE = "1.000948"

# The roles of the matrix, in the order of its columns.
ROLES = ("anonymous", "desk", "processing", "leader", "committee", "admin")
ROLE_OF = {
    "desk": Role.DESK_OFFICER,
    "processing": Role.PROCESSING_OFFICER,
    "leader": Role.UNIT_LEADER,
    "committee": Role.COMMITTEE_MEMBER,
    "admin": Role.ADMINISTRATOR,
}


@dataclass
class Side:
    """One commune with its dossiers: an open one with a supplement request and an apology
    (so that every printable slip exists) and one refused at intake."""

    unit: Unit
    dossier: Dossier
    refused: Dossier
    # The commune's PAR-index self-assessment (with one evidence file) under ``framework``.
    assessment: object = None
    evidence: object = None
    # The committee's work about the commune: a meeting of its district (with an attached
    # file), a task led by the commune and the commune's progress report (with a file).
    meeting: object = None
    attachment: object = None
    task: object = None
    report: object = None


@dataclass
class World:
    province: Unit
    district: Unit
    own: Side
    # A commune of another district of the same province: outside the desk's subtree.
    neighbour: Side
    # A commune of another province: outside every tree our staff see.
    other: Side
    users: dict
    framework: object = None


def _side(unit: Unit, version, phone: str) -> Side:
    received = dt.datetime(2021, 3, 2, 9, 0, tzinfo=VN)
    dossier = dossier_received(
        desk=unit,
        procedure_version=version,
        applicant={"name": "Trần Thị B", "phone": phone, "id_number": "079123456789"},
        received_at=received,
    )
    supplement_requested(
        dossier,
        received + dt.timedelta(hours=1),
        reason="Thiếu giấy chứng sinh",
        missing="Giấy chứng sinh",
    )
    dossier = Dossier.objects.get(pk=dossier.pk)
    apology_issued(
        dossier,
        received + dt.timedelta(hours=2),
        dossier.due_at + dt.timedelta(days=7),
        reason="Chậm do thiếu hồ sơ",
    )
    refused = dossier_refuse(
        desk=unit,
        procedure_version=version,
        channel="direct",
        applicant={"name": "Lê Văn C", "phone": phone},
        received_at=received + dt.timedelta(hours=3),
        reason="Không thuộc thẩm quyền",
        by=None,
    )
    return Side(unit=unit, dossier=Dossier.objects.get(pk=dossier.pk), refused=refused)


FRAMEWORK_ROWS = [
    {"code": "1", "name": "Công tác chỉ đạo điều hành", "max_points": "10", "method": ""},
    {"code": "1.1", "name": "Kế hoạch CCHC", "max_points": "10", "method": "self_assessed"},
]


def _assessments(sides: list[Side]):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from committee.parindex.imports import framework_import
    from committee.parindex.services import assessment_start, evidence_add, framework_publish

    result = framework_import(
        rows=list(enumerate(FRAMEWORK_ROWS, start=2)),
        name="Bộ chỉ số thử",
        year_from=2020,
        year_to=2022,
        level=UnitLevel.COMMUNE,
    )
    assert result.ok, result.errors.lines()
    framework = framework_publish(framework=result.framework, by=None)
    leaf = framework.criteria.get(code="1.1")
    for side in sides:
        side.assessment = assessment_start(framework=framework, unit=side.unit, year=2021, by=None)
        side.evidence = evidence_add(
            assessment=side.assessment,
            criterion=leaf,
            upload=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 thu"),
            by=None,
        )
    return framework


def _committee_work(side: Side, district: Unit, office) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from committee import services

    side.meeting = services.meeting_create(
        by=office,
        unit=district,
        held_on=dt.date(2021, 3, 25),
        kind="quarterly",
        title="Họp Ban chỉ đạo CCHC quý I năm 2021",
        chair="Chủ tịch UBND huyện",
    )
    side.attachment = services.meeting_attachment_add(
        meeting=side.meeting,
        by=office,
        upload=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban"),
    )
    conclusion = services.conclusion_add(
        meeting=side.meeting, by=office, text="Nâng tỷ lệ hồ sơ cập nhật trên iGate."
    )
    side.task = services.task_assign(
        conclusion=conclusion,
        by=office,
        title="Cập nhật 100% hồ sơ lên iGate",
        lead_unit=side.unit,
        deadline=dt.date(2021, 4, 14),
    )
    reporter = UserFactory(username=f"baocao.{side.unit.code}")
    MembershipFactory(user=reporter, unit=side.unit, role=Role.UNIT_LEADER)
    side.report = services.task_report_submit(
        task=side.task,
        by=reporter,
        text="Đã cập nhật 80%.",
        percent=80,
        attachment=SimpleUploadedFile("tien-do.pdf", b"%PDF-1.4 tien do"),
        at=dt.datetime(2021, 4, 1, 9, 0, tzinfo=VN),
    )


def world_build() -> World:
    province = UnitFactory(code="000.00.00.H39", name="UBND tỉnh Thử", level=UnitLevel.PROVINCE)
    district = UnitFactory(
        code="000.00.37.H39", name="UBND huyện Một", level=UnitLevel.DISTRICT, parent=province
    )
    commune = UnitFactory(code="001.37.H39", name="UBND xã Một", parent=district)
    district_two = UnitFactory(
        code="000.00.38.H39", name="UBND huyện Hai", level=UnitLevel.DISTRICT, parent=province
    )
    neighbour = UnitFactory(code="001.38.H39", name="UBND xã Hai", parent=district_two)
    other_province = UnitFactory(
        code="000.00.00.H40", name="UBND tỉnh Khác", level=UnitLevel.PROVINCE
    )
    other_district = UnitFactory(
        code="000.00.11.H40",
        name="UBND huyện Khác",
        level=UnitLevel.DISTRICT,
        parent=other_province,
    )
    other = UnitFactory(code="001.11.H40", name="UBND xã Khác", parent=other_district)
    version = published_procedure(code=PROCEDURE_CODE, name="Đăng ký khai sinh")
    users = {}
    for key, role in ROLE_OF.items():
        # Desk, processing and leader work in the commune; committee and admin at the district
        # (they see the whole province tree, never another province).
        unit = commune if key in {"desk", "processing", "leader"} else district
        user = UserFactory(username=f"an.{key}", is_staff=key == "admin")
        MembershipFactory(user=user, unit=unit, role=role)
        users[key] = user
    world = World(
        province=province,
        district=district,
        own=_side(commune, version, "0912345678"),
        neighbour=_side(neighbour, version, "0987654321"),
        other=_side(other, version, "0911222333"),
        users=users,
    )
    world.framework = _assessments([world.own, world.neighbour, world.other])
    for side, side_district in [
        (world.own, district),
        (world.neighbour, district_two),
        (world.other, other_district),
    ]:
        office = UserFactory(username=f"bcd.{side_district.code}")
        MembershipFactory(user=office, unit=side_district, role=Role.COMMITTEE_MEMBER)
        _committee_work(side, side_district, office)
    return world


def client_as(world: World, role: str, **kwargs) -> Client:
    client = Client(**kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if role != "anonymous":
        client.force_login(world.users[role])
    return client
