import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from vietnam_provinces import Ward

from org.management.commands.load_province_units import province_find
from org.models import Unit, UnitLevel
from tests.factories import UnitFactory

LAI_CHAU = 12


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_province_units", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_it_loads_a_province_and_all_its_wards():
    wards = list(Ward.iter_by_province(LAI_CHAU))

    output = load("12")

    assert f"{len(wards) + 1} created, 0 updated, 0 unchanged" in output
    province = Unit.objects.get(code="T12")
    assert (province.name, province.level, province.parent, province.statistical_code) == (
        "Tỉnh Lai Châu",
        UnitLevel.PROVINCE,
        None,
        "12",
    )
    communes = Unit.objects.filter(parent=province)
    assert communes.count() == len(wards)
    assert set(communes.values_list("level", flat=True)) == {UnitLevel.COMMUNE}
    assert set(communes.values_list("valid_from", flat=True)) == {dt.date(2025, 7, 1)}
    assert set(communes.values_list("valid_to", flat=True)) == {None}
    ward = wards[0]
    unit = Unit.objects.get(statistical_code=f"{int(ward.code):05d}")
    assert (unit.code, unit.name) == (f"X{int(ward.code):05d}", ward.name)
    assert unit.path == f"/{province.pk}/{unit.pk}/"


@pytest.mark.django_db
def test_it_creates_nothing_the_second_time():
    load("lai_chau")
    count = Unit.objects.count()

    output = load("Lai Châu")

    assert f"0 created, 0 updated, {count} unchanged" in output
    assert Unit.objects.count() == count


@pytest.mark.django_db
def test_it_keeps_the_name_of_a_centrally_governed_city_and_its_special_zones():
    load("01")

    assert Unit.objects.get(code="T01").name == "Thành phố Hà Nội"
    assert Unit.objects.get(code="X00070").name == "Phường Hoàn Kiếm"
    assert Unit.objects.filter(parent__code="T01").count() == len(list(Ward.iter_by_province(1)))


@pytest.mark.django_db
def test_it_takes_a_code_prefix_and_a_start_date():
    load("12", "--code-prefix", "VN-", "--valid-from", "15/08/2025")

    province = Unit.objects.get(code="VN-T12")
    assert province.valid_from == dt.date(2025, 8, 15)
    assert all(code.startswith("VN-X") for code in province.children.values_list("code", flat=True))


@pytest.mark.django_db
def test_it_moves_the_start_date_when_run_again_with_another_one():
    load("12")

    output = load("12", "--valid-from", "2025-07-02")

    assert f"0 created, {Unit.objects.count()} updated, 0 unchanged" in output


@pytest.mark.django_db
def test_it_leaves_the_province_parent_and_end_dates_set_by_an_administrator():
    load("12")
    country = UnitFactory(code="VN", level=UnitLevel.CENTRE)
    province = Unit.objects.get(code="T12")
    province.parent = country
    province.save()
    ward_code = f"X{int(next(Ward.iter_by_province(LAI_CHAU)).code):05d}"
    Unit.objects.filter(code=ward_code).update(valid_to=dt.date(2030, 1, 1))

    output = load("12")

    assert "0 created, 0 updated" in output
    assert Unit.objects.get(code="T12").parent == country
    assert Unit.objects.get(code=ward_code).valid_to == dt.date(2030, 1, 1)


@pytest.mark.parametrize(
    "text", ["1", "01", "ha_noi", "Hà Nội", "Thành phố Hà Nội", "thanh pho ha noi", "HA NOI"]
)
def test_it_finds_a_province_by_code_codename_or_name(text):
    assert int(province_find(text).code) == 1


@pytest.mark.parametrize("text", ["Huế", "hue", "46"])
def test_it_finds_hue(text):
    assert province_find(text).codename == "hue"


@pytest.mark.django_db
def test_it_rejects_an_unknown_province():
    with pytest.raises(CommandError, match=r"Unknown province 'Hà Tây'\. Use a GSO code or one of"):
        load("Hà Tây")

    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_it_rejects_a_bad_start_date():
    with pytest.raises(CommandError, match="--valid-from: '2025-07' is not a date"):
        load("12", "--valid-from", "2025-07")
