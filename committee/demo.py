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


def demo_committee_load() -> Meeting:
    """Record the meeting, its conclusions, tasks and a few reports; idempotent (a second call
    returns the meeting already there). Needs ``org.demo.demo_organisation_load`` first."""
    district = Unit.objects.get(code=DISTRICT)
    existing = Meeting.objects.filter(unit=district, held_on=HELD_ON, title=TITLE).first()
    if existing is not None:
        return existing
    users = get_user_model().objects
    office = users.get(username="bcd")
    commune_desk = users.get(username="motcua.xa")
    district_officer = users.get(username="chuyenvien")
    phu_tuc = Unit.objects.get(code=COMMUNE)

    def commune(code: str) -> Unit:
        return Unit.objects.get(code=code)

    with transaction.atomic(), demo_users_in_2021():
        meeting = services.meeting_create(
            by=office,
            unit=district,
            held_on=HELD_ON,
            kind="quarterly",
            title=TITLE,
            chair="Đồng chí Nay Y Phú – Phó Bí thư Huyện ủy, Chủ tịch UBND huyện, "
            "Trưởng Ban chỉ đạo CCHC huyện",
            attendees="Thành viên Ban chỉ đạo CCHC huyện; lãnh đạo các cơ quan, đơn vị; "
            "Chủ tịch UBND các xã, thị trấn.",
            minutes=(
                "Đánh giá kết quả thực hiện CCHC quý I, đề ra phương hướng, nhiệm vụ quý II. "
                "Trong quý I, UBND huyện tiếp nhận 193 hồ sơ, giải quyết 193 hồ sơ, không có hồ "
                "sơ trễ hạn; UBND các xã tiếp nhận 3.136 hồ sơ, đã giải quyết 3.135 hồ sơ, 01 hồ "
                "sơ trong hạn chuyển kỳ sau. Có 307/3.329 hồ sơ được cập nhật trên hệ thống "
                "iGate, chưa đảm bảo yêu cầu. Thảo luận: phối hợp giữa các cơ quan, đơn vị; giải "
                "pháp khắc phục chỉ số CCHC của các đơn vị có thứ hạng thấp; thực trạng CNTT; "
                "sắp xếp tổ chức bộ máy; cơ sở vật chất của bộ phận một cửa."
            ),
            notice_number="38/TB-UBND",
            notice_date=dt.date(2021, 3, 22),
        )
        conclusions = [
            services.conclusion_add(meeting=meeting, by=office, text=text)
            for text in (
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
        ]
        report_task = services.task_assign(
            conclusion=conclusions[0],
            by=office,
            title="Báo cáo kết quả thực hiện nhiệm vụ CCHC tháng 4/2021 về cơ quan thường trực",
            lead_unit=phu_tuc,
            deadline=dt.date(2021, 4, 28),
            expected_output="Báo cáo bằng văn bản",
        )
        igate_task = services.task_assign(
            conclusion=conclusions[1],
            by=office,
            title="Cập nhật 100% hồ sơ tiếp nhận, trả kết quả lên hệ thống iGate",
            lead_unit=phu_tuc,
            supporting_units=[commune("002.37.H21"), commune("010.37.H21")],
            working_days=20,
            expected_output="Báo cáo tỷ lệ hồ sơ được cập nhật trên iGate",
        )
        services.task_assign(
            conclusion=conclusions[2],
            by=office,
            title="Xây dựng kế hoạch khắc phục các tiêu chí bị trừ điểm chỉ số CCHC năm 2020",
            lead_unit=commune("007.37.H21"),
            supporting_units=[commune("014.37.H21")],
            deadline=dt.date(2021, 4, 15),
            expected_output="Kế hoạch được phê duyệt",
        )
        it_task = services.task_assign(
            conclusion=conclusions[3],
            by=office,
            title="Rà soát, báo cáo thực trạng hạ tầng CNTT tại bộ phận một cửa huyện và xã",
            lead_unit=district,
            supporting_units=[phu_tuc],
            working_days=30,
            expected_output="Báo cáo thực trạng và đề xuất đầu tư",
        )
        services.task_report_submit(
            task=igate_task,
            by=commune_desk,
            text="Đã cập nhật 60% hồ sơ tiếp nhận từ đầu năm lên hệ thống iGate.",
            percent=60,
            at=_at("2021-04-05"),
        )
        services.task_report_submit(
            task=igate_task,
            by=commune_desk,
            text="Đã cập nhật toàn bộ hồ sơ; từ 12/4/2021 mọi hồ sơ được tiếp nhận trên iGate.",
            percent=100,
            at=_at("2021-04-16", 15),
        )
        services.task_report_submit(
            task=report_task,
            by=commune_desk,
            text="Đang tổng hợp số liệu tháng 4.",
            percent=30,
            at=_at("2021-04-26"),
        )
        services.task_report_submit(
            task=it_task,
            by=district_officer,
            text="Đã rà soát xong máy tính, máy quét tại bộ phận một cửa huyện; "
            "đang rà soát các xã.",
            percent=40,
            at=_at("2021-04-20"),
        )
    return meeting


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
    held_on = today - dt.timedelta(days=21)
    while not calendar.is_working_day(held_on):
        held_on -= dt.timedelta(days=1)
    last_quarter_end = dt.date(held_on.year, 3 * ((held_on.month - 1) // 3) + 1, 1)
    last_quarter_end -= dt.timedelta(days=1)
    quarter = (last_quarter_end.month - 1) // 3 + 1
    notice_date = deadline_after_working_days(start=held_on, working_days=2, calendar=calendar)
    users = get_user_model().objects
    office = users.get(username="bcd")
    units = Unit.objects.in_bulk([PHU_TUC, CENTRE, DEPARTMENT, IA_DREH], field_name="code")

    def after(days: int) -> dt.date:
        return deadline_after_working_days(start=notice_date, working_days=days, calendar=calendar)

    with transaction.atomic():
        meeting = services.meeting_create(
            by=office,
            unit=province,
            held_on=held_on,
            kind="quarterly",
            title=PRESENT_TITLE.format(
                quarter=("I", "II", "III", "IV")[quarter - 1], year=last_quarter_end.year
            ),
            chair="Đồng chí Chủ tịch UBND tỉnh, Trưởng Ban chỉ đạo CCHC tỉnh",
            attendees="Thành viên Ban chỉ đạo CCHC tỉnh; Giám đốc các sở; Chủ tịch UBND các "
            "xã, phường; Giám đốc Trung tâm Phục vụ hành chính công tỉnh.",
            minutes="Đánh giá kết quả giải quyết TTHC của quý sau sắp xếp đơn vị hành chính "
            "hai cấp; hồ sơ quá hạn tại một số xã; tỷ lệ số hóa hồ sơ còn thấp.",
            notice_number=f"{120 + quarter}/TB-UBND",
            notice_date=notice_date,
        )
        overdue, digitise, review = (
            services.conclusion_add(meeting=meeting, by=office, text=text)
            for text in (
                "Các xã giải quyết dứt điểm hồ sơ quá hạn, thực hiện xin lỗi người dân theo "
                "quy định khi trễ hẹn.",
                "Trung tâm Phục vụ hành chính công tỉnh số hóa 100% thành phần hồ sơ khi tiếp "
                "nhận.",
                "Các sở rà soát, công bố lại TTHC sau khi phân cấp, phân quyền.",
            )
        )
        done = services.task_assign(
            conclusion=review,
            by=office,
            title="Rà soát TTHC lĩnh vực đất đai, môi trường sau phân cấp cho cấp xã",
            lead_unit=units[DEPARTMENT],
            deadline=after(5),
            expected_output="Danh mục TTHC trình công bố",
        )
        services.task_assign(
            conclusion=overdue,
            by=office,
            title="Giải quyết dứt điểm hồ sơ quá hạn tồn đọng, báo cáo nguyên nhân",
            lead_unit=units[IA_DREH],
            deadline=after(7),
            expected_output="Báo cáo bằng văn bản",
        )
        soon = services.task_assign(
            conclusion=overdue,
            by=office,
            title="Rà soát quy trình tiếp nhận, trả kết quả tại xã sau sắp xếp",
            lead_unit=units[PHU_TUC],
            deadline=after(20),
            expected_output="Báo cáo rà soát",
        )
        ongoing = services.task_assign(
            conclusion=digitise,
            by=office,
            title="Số hóa thành phần hồ sơ khi tiếp nhận, đạt tối thiểu 80% trong quý",
            lead_unit=units[CENTRE],
            supporting_units=[units[PHU_TUC]],
            deadline=after(40),
            expected_output="Báo cáo tỷ lệ số hóa",
        )
        moment = dt.datetime.combine(after(3), dt.time(15), tzinfo=HCM)
        if moment.date() <= today:
            services.task_report_submit(
                task=done,
                by=users.get(username="chuyenvien"),
                text="Đã rà soát xong, trình UBND tỉnh công bố danh mục.",
                percent=100,
                at=moment,
            )
            services.task_report_submit(
                task=ongoing,
                by=users.get(username="motcua.huyen"),
                text="Đã số hóa khoảng 55% thành phần hồ sơ tiếp nhận trong tháng.",
                percent=55,
                at=moment,
            )
            services.task_report_submit(
                task=soon,
                by=users.get(username="motcua.xa"),
                text="Đang rà soát quy trình tại bộ phận một cửa.",
                percent=30,
                at=moment,
            )
    return meeting
