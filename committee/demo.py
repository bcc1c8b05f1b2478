"""The demo of ``make run``: the committee meeting of the seed article (Q1 2021).

The article: the district's steering committee met at the end of Q1 2021, chaired by Nay Y Phú
(Deputy Party Secretary, Chairman of the district People's Committee); it found the iGate
recording short (307 of 3,329 dossiers), discussed the units with a low PAR-index rank and the
state of IT, and concluded that the units must carry out the tasks assigned and report
regularly to the standing office. The notice number, the dates after the meeting and the tasks
are illustrative. Progress reports dated April 2021 leave one task done on time, one in
progress and one never started, so the overdue list has something to show.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from org.calendar_source import working_calendar
from org.demo import (
    CENTRE,
    COMMUNE,
    DEPARTMENT,
    DISTRICT,
    IA_DREH,
    PHU_TUC,
    PROVINCE,
    demo_users_in_2021,
)
from org.models import Unit

from . import services
from .deadlines import deadline_after_working_days
from .models import Meeting

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TITLE = "Họp Ban chỉ đạo Cải cách hành chính quý I năm 2021"
HELD_ON = dt.date(2021, 3, 19)


def _at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=HCM)


MEETING = {
    "held_on": HELD_ON,
    "kind": "quarterly",
    "title": TITLE,
    "chair": "Đồng chí Nay Y Phú – Phó Bí thư Huyện ủy, Chủ tịch UBND huyện, "
    "Trưởng Ban chỉ đạo CCHC huyện",
    "attendees": "Thành viên Ban chỉ đạo CCHC huyện; lãnh đạo các cơ quan, đơn vị; "
    "Chủ tịch UBND các xã, thị trấn.",
    "minutes": (
        "Đánh giá kết quả thực hiện CCHC quý I, đề ra phương hướng, nhiệm vụ quý II. "
        "Trong quý I, UBND huyện tiếp nhận 193 hồ sơ, giải quyết 193 hồ sơ, không có hồ "
        "sơ trễ hạn; UBND các xã tiếp nhận 3.136 hồ sơ, đã giải quyết 3.135 hồ sơ, 01 hồ "
        "sơ trong hạn chuyển kỳ sau. Có 307/3.329 hồ sơ được cập nhật trên hệ thống "
        "iGate, chưa đảm bảo yêu cầu. Thảo luận: phối hợp giữa các cơ quan, đơn vị; giải "
        "pháp khắc phục chỉ số CCHC của các đơn vị có thứ hạng thấp; thực trạng CNTT; "
        "sắp xếp tổ chức bộ máy; cơ sở vật chất của bộ phận một cửa."
    ),
    "notice_number": "38/TB-UBND",
    "notice_date": dt.date(2021, 3, 22),
}
CONCLUSIONS = (
    "Các ngành, đoàn thể, cơ quan, đơn vị nghiêm túc thực hiện hiệu quả các nhiệm vụ "
    "được phân công theo kết luận cuộc họp Ban chỉ đạo CCHC quý I và thường xuyên "
    "báo cáo về cơ quan thường trực.",
    "Tiếp nhận và trả kết quả giải quyết thủ tục hành chính qua hệ thống một cửa "
    "điện tử (iGate) theo đúng yêu cầu; cập nhật đầy đủ hồ sơ lên hệ thống.",
    "Triển khai các giải pháp thăng hạng các chỉ số CCHC; khắc phục các tiêu chí bị "
    "trừ điểm của các đơn vị có thứ hạng thấp.",
    "Rà soát thực trạng công nghệ thông tin của các cơ quan, đơn vị để thống nhất "
    "trong quản lý, điều hành; xây dựng chính quyền điện tử.",
)
# The tasks, in the order they are assigned: the conclusion's index, then task_assign's
# arguments with units as codes and the deadline as a date or a number of working days.
TASKS = (
    (
        0,
        "Báo cáo kết quả thực hiện nhiệm vụ CCHC tháng 4/2021 về cơ quan thường trực",
        COMMUNE,
        (),
        dt.date(2021, 4, 28),
        "Báo cáo bằng văn bản",
    ),
    (
        1,
        "Cập nhật 100% hồ sơ tiếp nhận, trả kết quả lên hệ thống iGate",
        COMMUNE,
        ("002.37.H21", "010.37.H21"),
        20,
        "Báo cáo tỷ lệ hồ sơ được cập nhật trên iGate",
    ),
    (
        2,
        "Xây dựng kế hoạch khắc phục các tiêu chí bị trừ điểm chỉ số CCHC năm 2020",
        "007.37.H21",
        ("014.37.H21",),
        dt.date(2021, 4, 15),
        "Kế hoạch được phê duyệt",
    ),
    (
        3,
        "Rà soát, báo cáo thực trạng hạ tầng CNTT tại bộ phận một cửa huyện và xã",
        DISTRICT,
        (COMMUNE,),
        30,
        "Báo cáo thực trạng và đề xuất đầu tư",
    ),
)
# The progress reports, in the order they are submitted: the task's index in TASKS, the
# reporting user, the text, the percentage and when (day, hour).
REPORTS = (
    (
        1,
        "motcua.xa",
        "Đã cập nhật 60% hồ sơ tiếp nhận từ đầu năm lên hệ thống iGate.",
        60,
        "2021-04-05",
        9,
    ),
    (
        1,
        "motcua.xa",
        "Đã cập nhật toàn bộ hồ sơ; từ 12/4/2021 mọi hồ sơ được tiếp nhận trên iGate.",
        100,
        "2021-04-16",
        15,
    ),
    (0, "motcua.xa", "Đang tổng hợp số liệu tháng 4.", 30, "2021-04-26", 9),
    (
        3,
        "chuyenvien",
        "Đã rà soát xong máy tính, máy quét tại bộ phận một cửa huyện; đang rà soát các xã.",
        40,
        "2021-04-20",
        9,
    ),
)


def demo_committee_load() -> Meeting:
    """Record the meeting, its conclusions, tasks and a few reports; idempotent (a second call
    returns the meeting already there). Needs ``org.demo.demo_organisation_load`` first."""
    district = Unit.objects.get(code=DISTRICT)
    existing = Meeting.objects.filter(unit=district, held_on=HELD_ON, title=TITLE).first()
    if existing is not None:
        return existing
    users = get_user_model().objects
    office = users.get(username="bcd")
    with transaction.atomic(), demo_users_in_2021():
        meeting = services.meeting_create(by=office, unit=district, **MEETING)
        conclusions = [
            services.conclusion_add(meeting=meeting, by=office, text=text) for text in CONCLUSIONS
        ]
        tasks = [
            _task_assign(conclusions[index], office, title, lead, supporting, due, output)
            for index, title, lead, supporting, due, output in TASKS
        ]
        for index, username, text, percent, day, hour in REPORTS:
            services.task_report_submit(
                task=tasks[index],
                by=users.get(username=username),
                text=text,
                percent=percent,
                at=_at(day, hour),
            )
    return meeting


def _task_assign(conclusion, office, title, lead, supporting, due, output):
    """``services.task_assign`` with units given by code and ``due`` a date or working days."""
    when = {"working_days": due} if isinstance(due, int) else {"deadline": due}
    return services.task_assign(
        conclusion=conclusion,
        by=office,
        title=title,
        lead_unit=Unit.objects.get(code=lead),
        supporting_units=[Unit.objects.get(code=code) for code in supporting],
        expected_output=output,
        **when,
    )


PRESENT_TITLE = "Họp Ban chỉ đạo Cải cách hành chính tỉnh quý {quarter} năm {year}"


def demo_committee_present_load(*, today: dt.date | None = None) -> Meeting:
    """The province committee's quarterly meeting on the last finished quarter, held about
    three weeks before ``today``, with tasks for today's units: one done, one in progress, one
    due soon and one overdue, so the committee's task list has life on the day the demo loads.
    Idempotent: once such a meeting exists, later loads leave it (and its tasks) as they are."""
    province = Unit.objects.get(code=PROVINCE)
    existing = Meeting.objects.filter(
        unit=province, title__startswith=PRESENT_TITLE.split("{")[0]
    ).first()
    if existing is not None:
        return existing
    today = today or timezone.localdate()
    calendar = working_calendar()
    held_on, quarter, year = _present_quarter(today, calendar)
    notice_date = deadline_after_working_days(start=held_on, working_days=2, calendar=calendar)
    users = get_user_model().objects
    office = users.get(username="bcd")

    def after(days: int) -> dt.date:
        return deadline_after_working_days(start=notice_date, working_days=days, calendar=calendar)

    with transaction.atomic():
        meeting = services.meeting_create(
            by=office,
            unit=province,
            held_on=held_on,
            kind="quarterly",
            title=PRESENT_TITLE.format(quarter=("I", "II", "III", "IV")[quarter - 1], year=year),
            chair="Đồng chí Chủ tịch UBND tỉnh, Trưởng Ban chỉ đạo CCHC tỉnh",
            attendees="Thành viên Ban chỉ đạo CCHC tỉnh; Giám đốc các sở; Chủ tịch UBND các "
            "xã, phường; Giám đốc Trung tâm Phục vụ hành chính công tỉnh.",
            minutes="Đánh giá kết quả giải quyết TTHC của quý sau sắp xếp đơn vị hành chính "
            "hai cấp; hồ sơ quá hạn tại một số xã; tỷ lệ số hóa hồ sơ còn thấp.",
            notice_number=f"{120 + quarter}/TB-UBND",
            notice_date=notice_date,
        )
        conclusions = [
            services.conclusion_add(meeting=meeting, by=office, text=text)
            for text in PRESENT_CONCLUSIONS
        ]
        tasks = [
            _task_assign(conclusions[index], office, title, lead, supporting, after(days), output)
            for index, title, lead, supporting, days, output in PRESENT_TASKS
        ]
        moment = dt.datetime.combine(after(3), dt.time(15), tzinfo=HCM)
        if moment.date() <= today:
            for index, username, text, percent in PRESENT_REPORTS:
                services.task_report_submit(
                    task=tasks[index],
                    by=users.get(username=username),
                    text=text,
                    percent=percent,
                    at=moment,
                )
    return meeting


def _present_quarter(today: dt.date, calendar) -> tuple[dt.date, int, int]:
    """The meeting's day (a working day about three weeks before ``today``), and the quarter
    and year of the last quarter finished by then."""
    held_on = today - dt.timedelta(days=21)
    while not calendar.is_working_day(held_on):
        held_on -= dt.timedelta(days=1)
    last_quarter_end = dt.date(held_on.year, 3 * ((held_on.month - 1) // 3) + 1, 1)
    last_quarter_end -= dt.timedelta(days=1)
    return held_on, (last_quarter_end.month - 1) // 3 + 1, last_quarter_end.year


# overdue, digitise, review
PRESENT_CONCLUSIONS = (
    "Các xã giải quyết dứt điểm hồ sơ quá hạn, thực hiện xin lỗi người dân theo "
    "quy định khi trễ hẹn.",
    "Trung tâm Phục vụ hành chính công tỉnh số hóa 100% thành phần hồ sơ khi tiếp nhận.",
    "Các sở rà soát, công bố lại TTHC sau khi phân cấp, phân quyền.",
)
# done, overdue, due soon, in progress: the conclusion's index, title, lead unit, supporting
# units, the deadline in working days after the notice, expected output.
PRESENT_TASKS = (
    (
        2,
        "Rà soát TTHC lĩnh vực đất đai, môi trường sau phân cấp cho cấp xã",
        DEPARTMENT,
        (),
        5,
        "Danh mục TTHC trình công bố",
    ),
    (
        0,
        "Giải quyết dứt điểm hồ sơ quá hạn tồn đọng, báo cáo nguyên nhân",
        IA_DREH,
        (),
        7,
        "Báo cáo bằng văn bản",
    ),
    (
        0,
        "Rà soát quy trình tiếp nhận, trả kết quả tại xã sau sắp xếp",
        PHU_TUC,
        (),
        20,
        "Báo cáo rà soát",
    ),
    (
        1,
        "Số hóa thành phần hồ sơ khi tiếp nhận, đạt tối thiểu 80% trong quý",
        CENTRE,
        (PHU_TUC,),
        40,
        "Báo cáo tỷ lệ số hóa",
    ),
)
# The reports three working days after the notice: task index in PRESENT_TASKS, user, text, %.
PRESENT_REPORTS = (
    (0, "chuyenvien", "Đã rà soát xong, trình UBND tỉnh công bố danh mục.", 100),
    (3, "motcua.huyen", "Đã số hóa khoảng 55% thành phần hồ sơ tiếp nhận trong tháng.", 55),
    (2, "motcua.xa", "Đang rà soát quy trình tại bộ phận một cửa.", 30),
)
