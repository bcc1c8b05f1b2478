"""Many desks at once on PostgreSQL (issue 9, "Concurrency").

50 clients, each a thread with its own database connection, take dossiers in and move them
through their lifecycle with the real services, on committed data; then every dossier, code,
counter and event is checked against what the clients were told. Two officers acting on one
dossier at the same moment: one wins, the other is told the dossier changed meanwhile, through
the services, the desk pages and the API.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dossiers import services
from dossiers.codes import dossier_code_parse
from dossiers.models import Dossier, DossierCodeCounter, DossierStatus, Event, EventKind
from dossiers.services import DossierChangedMeanwhile
from org.models import Role, UnitLevel
from tests.factories import (
    MembershipFactory,
    UnitFactory,
    logged_in,
    published_procedure,
    received_dossier,
)

from .conftest import celery_broker, run_at_once

CLIENTS = 50
OPERATIONS_PER_CLIENT = 44  # 2,200 operations in all
CHANGED_MEANWHILE = "The dossier was changed by someone else meanwhile; reload it."

# The event each step appends, and the status it leaves (None: the status does not change).
STEP_EVENTS = {
    "transfer": (EventKind.TRANSFERRED, DossierStatus.PROCESSING),
    "supplement_request": (EventKind.SUPPLEMENT_REQUESTED, DossierStatus.SUPPLEMENT_REQUESTED),
    "supplement_complete": (EventKind.SUPPLEMENT_COMPLETED, DossierStatus.PROCESSING),
    "finish": (EventKind.FINISHED, DossierStatus.FINISHED),
    "return": (EventKind.RETURNED, DossierStatus.RETURNED),
    "withdraw": (EventKind.WITHDRAWN, DossierStatus.WITHDRAWN),
    "stop": (EventKind.STOPPED, DossierStatus.STOPPED),
    "apology": (EventKind.APOLOGY_ISSUED, None),
}
# What a careful officer would try in each state; one step in ten is any step at all.
LIKELY_STEPS = {
    DossierStatus.RECEIVED: ["transfer", "transfer", "supplement_request", "finish", "apology"],
    DossierStatus.PROCESSING: ["transfer", "supplement_request", "finish", "finish", "stop"],
    DossierStatus.SUPPLEMENT_REQUESTED: ["supplement_complete", "supplement_complete", "withdraw"],
    DossierStatus.FINISHED: ["return"],
}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _tasks_queued():
    """The rollup refresh and the applicant's message are queued as in production (to an
    in-memory broker nobody drains) instead of running inside the clients' threads."""
    with celery_broker("memory://"):
        yield


@dataclass
class Ledger:
    """What the clients were told, appended from every thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    taken_in: list[tuple[int, str]] = field(default_factory=list)  # (dossier id, code)
    refused_at_intake: list[tuple[int, str]] = field(default_factory=list)
    invalid_intakes: list[str] = field(default_factory=list)  # the error messages
    # (dossier id, step, version the step produced)
    applied: list[tuple[int, str, int]] = field(default_factory=list)
    # (step, error code, message)
    refused: list[tuple[str, str, str]] = field(default_factory=list)

    def dossier_ids(self) -> list[int]:
        with self.lock:
            return [pk for pk, _code in self.taken_in]


def _step_perform(step: str, dossier: Dossier, *, expected_version, units, rng) -> int:
    """Run one step through its service; the version it produced."""
    at = timezone.now()
    common = {"dossier": dossier, "by": None, "expected_version": expected_version}
    if step == "transfer":
        result = services.dossier_transfer(to_unit=rng.choice(units), **common)
    elif step == "supplement_request":
        result = services.supplement_request(
            reason="Thiếu giấy tờ", missing_documents="Bản sao CCCD", at=at, **common
        )
    elif step == "supplement_complete":
        result = services.supplement_complete(at=at, **common)
    elif step == "finish":
        result = services.dossier_finish(at=at, **common)
    elif step == "return":
        result = services.dossier_return(at=at, **common)
    elif step == "withdraw":
        result = services.dossier_withdraw(at=at, reason="Công dân rút hồ sơ", **common)
    elif step == "stop":
        result = services.dossier_stop(at=at, reason="Dừng giải quyết", **common)
    else:
        result = services.apology_issue(
            reason="Cần xác minh thêm",
            new_due_at=dossier.due_at + dt.timedelta(days=3),
            at=at,
            **common,
        ).dossier
    return result.version


def _client(number: int, *, ledger: Ledger, desks, units, version) -> None:
    rng = random.Random(number)
    for _ in range(OPERATIONS_PER_CLIENT):
        pool = ledger.dossier_ids()
        if len(pool) < 20 or rng.random() < 0.4:
            desk = rng.choice(desks)
            intake = {
                "desk": desk,
                "procedure_version": version,
                "channel": rng.choice(["direct", "online", "postal"]),
                "applicant": {"name": f"Công dân {number}", "phone": "0912345678"},
                "received_at": timezone.now(),
                "by": None,
            }
            chance = rng.random()
            if chance < 0.03:
                # Rejected by validation after the code was drawn: the number must come back.
                intake["applicant"] = {"name": "Nguyễn " * 60, "phone": "0912345678"}
                try:
                    services.dossier_receive(**intake)
                except ValidationError as error:
                    with ledger.lock:
                        ledger.invalid_intakes.append(" ".join(error.messages))
                    continue
                raise AssertionError("an applicant name of 420 characters was accepted")
            if chance < 0.1:
                dossier = services.dossier_refuse(reason="Không thuộc thẩm quyền", **intake)
                with ledger.lock:
                    ledger.refused_at_intake.append((dossier.pk, dossier.code))
            else:
                dossier = services.dossier_receive(**intake)
                with ledger.lock:
                    ledger.taken_in.append((dossier.pk, dossier.code))
            continue
        # Most steps go to the latest dossiers, where the other clients are busy too.
        pk = rng.choice(pool[-15:]) if rng.random() < 0.7 else rng.choice(pool)
        dossier = Dossier.objects.get(pk=pk)
        likely = LIKELY_STEPS.get(dossier.status)
        step = (
            rng.choice(likely) if likely and rng.random() < 0.9 else rng.choice(list(STEP_EVENTS))
        )
        # One officer in ten works without the optimistic check (e.g. a back-office script).
        expected_version = dossier.version if rng.random() < 0.9 else None
        try:
            produced = _step_perform(
                step, dossier, expected_version=expected_version, units=units, rng=rng
            )
        except ValidationError as error:  # TransitionError and DossierChangedMeanwhile included
            with ledger.lock:
                ledger.refused.append((step, error.code or "invalid", " ".join(error.messages)))
        else:
            with ledger.lock:
                ledger.applied.append((pk, step, produced))


@pytest.mark.usefixtures("postgresql")
def test_it_keeps_every_dossier_code_and_event_under_50_concurrent_desks():
    district = UnitFactory(code="REL-H", name="UBND huyện", level=UnitLevel.DISTRICT)
    desks = [
        UnitFactory(code=f"REL-X{n}", name=f"UBND xã {n}", parent=district) for n in range(1, 6)
    ]
    units = [
        *desks,
        *(UnitFactory(code=f"REL-P{n}", name=f"Phòng {n}", parent=district) for n in range(1, 4)),
    ]
    version = published_procedure(code="1.000001")
    ledger = Ledger()

    started = time.monotonic()
    errors = run_at_once(
        [
            lambda number=number: _client(
                number, ledger=ledger, desks=desks, units=units, version=version
            )
            for number in range(CLIENTS)
        ]
    )
    elapsed = time.monotonic() - started

    assert errors == []
    operations = (
        len(ledger.taken_in)
        + len(ledger.refused_at_intake)
        + len(ledger.invalid_intakes)
        + len(ledger.applied)
        + len(ledger.refused)
    )
    assert operations == CLIENTS * OPERATIONS_PER_CLIENT

    # Every dossier stored once, under the code its client was given.
    told = dict(ledger.taken_in) | dict(ledger.refused_at_intake)
    stored = dict(Dossier.objects.values_list("pk", "code"))
    assert stored == told
    assert len(set(stored.values())) == len(stored)

    # Codes gap-free per unit and local day, and the counters where the sequences end.
    numbers: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
    for unit_id, day, code in Dossier.objects.values_list(
        "receiving_unit_id", "received_date", "code"
    ):
        _unit_code, code_day, n = dossier_code_parse(code)
        assert code_day == day
        numbers[unit_id, day].append(n)
    for key, found in numbers.items():
        assert sorted(found) == list(range(1, len(found) + 1)), key
    counters = {
        (unit_id, day): last
        for unit_id, day, last in DossierCodeCounter.objects.values_list("unit_id", "day", "last")
    }
    assert counters == {key: len(found) for key, found in numbers.items()}

    # Every applied step has its event, in the order of the versions it produced; every
    # refused one left nothing behind (the events are exactly the intake plus the applied).
    applied_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, step, produced in ledger.applied:
        applied_of[pk].append((produced, step))
    events_of: dict[int, list[str]] = defaultdict(list)
    for pk, kind in Event.objects.order_by("id").values_list("dossier_id", "kind"):
        events_of[pk].append(kind)
    refused_ids = {pk for pk, _code in ledger.refused_at_intake}
    final = {row["pk"]: row for row in Dossier.objects.values("pk", "status", "version")}
    for pk in stored:
        steps = sorted(applied_of[pk])
        # No two steps were applied to the same version: no update was lost.
        assert [produced for produced, _step in steps] == list(range(1, len(steps) + 1)), pk
        first = EventKind.REFUSED if pk in refused_ids else EventKind.RECEIVED
        assert events_of[pk] == [first] + [STEP_EVENTS[step][0] for _v, step in steps], pk
        status = DossierStatus.REFUSED if pk in refused_ids else DossierStatus.RECEIVED
        for _produced, step in steps:
            status = STEP_EVENTS[step][1] or status
        assert (final[pk]["status"], final[pk]["version"]) == (status, len(steps)), pk

    # Every refusal said why.
    assert ledger.invalid_intakes
    assert all("at most 255 characters" in message for message in ledger.invalid_intakes)
    assert all(message.strip() for _step, _code, message in ledger.refused)
    refusals = Counter(code for _step, code, _message in ledger.refused)
    assert {message for _step, code, message in ledger.refused if code == "changed_meanwhile"} <= {
        CHANGED_MEANWHILE
    }
    assert refusals["changed_meanwhile"] > 0, "the clients never raced each other"
    assert set(refusals) <= {
        "changed_meanwhile",
        "illegal_transition",
        "same_unit",
        "time_order",
        "no_open_request",
        "apology_exists",
        "new_due_at",
    }

    print(
        f"\n{CLIENTS} clients, {operations} operations in {elapsed:.1f} s "
        f"({operations / elapsed:.0f}/s): {len(ledger.taken_in)} received, "
        f"{len(ledger.refused_at_intake)} refused at intake, {len(ledger.invalid_intakes)} invalid "
        f"intakes rejected, {len(ledger.applied)} steps applied, "
        f"{len(ledger.refused)} refused {dict(refusals)}; {len(stored)} dossiers, "
        f"{sum(len(v) for v in events_of.values())} events, {len(numbers)} code sequences checked"
    )


# Two officers, one dossier ------------------------------------------------------------------


@pytest.fixture
def commune():
    return UnitFactory(code="REL-XA", name="UBND xã Lạc Đạo", level=UnitLevel.COMMUNE)


@pytest.fixture
def sections(commune):
    return [
        UnitFactory(
            code=f"REL-XA-{n}", name=f"Bộ phận {n}", level=UnitLevel.DEPARTMENT, parent=commune
        )
        for n in (1, 2)
    ]


@pytest.fixture
def version():
    return published_procedure(code="1.000001")


def _race(*attempts) -> list:
    """Run the attempts at the same moment; what each returned."""
    outcomes: list = [None] * len(attempts)

    def run(index: int, attempt) -> None:
        outcomes[index] = attempt()

    errors = run_at_once([lambda i=i, a=a: run(i, a) for i, a in enumerate(attempts)])
    assert errors == []
    return outcomes


def _outcome(call) -> str:
    try:
        call()
    except DossierChangedMeanwhile as error:
        assert error.messages == [CHANGED_MEANWHILE]
        return "changed meanwhile"
    return "applied"


PAIRS = 10


@pytest.mark.usefixtures("postgresql")
def test_two_officers_at_once_through_the_services_one_wins(commune, sections, version):
    dossiers = [received_dossier(desk=commune, procedure_version=version) for _ in range(PAIRS)]
    for dossier in dossiers:
        read = dossier.version
        outcomes = _race(
            lambda d=dossier, read=read: _outcome(
                lambda: services.dossier_transfer(
                    dossier=d, to_unit=sections[0], by=None, expected_version=read
                )
            ),
            lambda d=dossier, read=read: _outcome(
                lambda: services.dossier_finish(
                    dossier=d, by=None, at=timezone.now(), expected_version=read
                )
            ),
        )
        assert sorted(outcomes) == ["applied", "changed meanwhile"]
        dossier.refresh_from_db()
        assert dossier.version == read + 1
        kinds = list(dossier.events.order_by("id").values_list("kind", flat=True))
        won = EventKind.TRANSFERRED if outcomes[0] == "applied" else EventKind.FINISHED
        assert kinds == [EventKind.RECEIVED, won]


def _officer(role: str, unit, *, api: bool = False) -> Client:
    return logged_in(MembershipFactory(role=role, unit=unit).user, APIClient() if api else None)


@pytest.mark.usefixtures("postgresql")
def test_two_officers_at_once_on_the_desk_page_one_is_told_it_changed(commune, sections, version):
    first = _officer(Role.UNIT_LEADER, commune)
    second = _officer(Role.PROCESSING_OFFICER, commune)
    dossiers = [received_dossier(desk=commune, procedure_version=version) for _ in range(PAIRS)]

    def transfer(client: Client, dossier: Dossier, to_unit, read: int):
        return client.post(
            reverse("dossiers:action", args=[dossier.code, "transfer"]),
            {
                "transfer-expected_version": str(read),
                "transfer-to_unit": str(to_unit.pk),
                "transfer-note": "",
            },
            follow=True,
        )

    for dossier in dossiers:
        read = dossier.version  # both officers opened the page on this version
        responses = _race(
            lambda d=dossier, read=read: transfer(first, d, sections[0], read),
            lambda d=dossier, read=read: transfer(second, d, sections[1], read),
        )
        assert [response.status_code for response in responses] == [200, 200]
        done = [f"Dossier {dossier.code} was transferred." in r.text for r in responses]
        told = ["changed by someone else meanwhile; reload it." in r.text for r in responses]
        assert sorted(done) == [False, True]
        assert told == [not d for d in done]
        dossier.refresh_from_db()
        winner = sections[0] if done[0] else sections[1]
        assert (dossier.version, dossier.handling_unit_id) == (read + 1, winner.pk)
        assert dossier.events.filter(kind=EventKind.TRANSFERRED).count() == 1


@pytest.mark.usefixtures("postgresql")
def test_two_officers_at_once_through_the_api_one_gets_409(commune, sections, version):
    first = _officer(Role.UNIT_LEADER, commune, api=True)
    second = _officer(Role.PROCESSING_OFFICER, commune, api=True)
    dossiers = [received_dossier(desk=commune, procedure_version=version) for _ in range(PAIRS)]
    for dossier in dossiers:
        read = dossier.version
        url = f"/api/v1/dossiers/{dossier.code}/"
        responses = _race(
            lambda url=url, read=read: first.post(
                url + "finish/", {"expected_version": read}, format="json"
            ),
            lambda url=url, read=read: second.post(
                url + "transfer/",
                {"expected_version": read, "to_unit": sections[0].code},
                format="json",
            ),
        )
        codes = [response.status_code for response in responses]
        assert sorted(codes) == [200, 409]
        loser = responses[codes.index(409)]
        assert loser.json()["detail"] == CHANGED_MEANWHILE
        dossier.refresh_from_db()
        assert dossier.version == read + 1
        won = EventKind.FINISHED if codes[0] == 200 else EventKind.TRANSFERRED
        kinds = list(dossier.events.order_by("id").values_list("kind", flat=True))
        assert kinds == [EventKind.RECEIVED, won]


@pytest.mark.usefixtures("postgresql")
def test_the_officer_who_lost_a_finish_race_on_the_desk_page_is_told_it_changed(
    commune, sections, version
):
    first = _officer(Role.UNIT_LEADER, commune)
    second = _officer(Role.PROCESSING_OFFICER, commune)
    dossier = received_dossier(desk=commune, procedure_version=version)
    read = dossier.version  # both opened the page; the first finishes, then the second
    url = reverse("dossiers:action", args=[dossier.code, "finish"])
    data = {"finish-expected_version": str(read), "finish-note": ""}
    assert f"The result of dossier {dossier.code} is ready." in (
        first.post(url, data, follow=True).text
    )
    response = second.post(url, data, follow=True)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (DossierStatus.FINISHED, read + 1)
    assert "changed by someone else meanwhile; reload it." in response.text
