"""Who may see which units: the one scoping rule every view goes through."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from org.models import Role, Unit, UnitLevel
from org.selectors import units_visible_to
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """A province with a pre-2025 district of two communes, and a post-2025 commune that
    absorbed both of them."""
    province = UnitFactory(code="000.00.00.H21", name="UBND tỉnh Gia Lai", level=UnitLevel.PROVINCE)
    other_province = UnitFactory(code="000.00.00.H99", name="UBND tỉnh Khác", level="province")
    district = UnitFactory(
        code="000.00.37.H21",
        name="UBND huyện Krông Pa",
        level=UnitLevel.DISTRICT,
        parent=province,
        valid_to=dt.date(2025, 6, 30),
    )
    phu_tuc = UnitFactory(code="001.37.H21", name="UBND thị trấn Phú Túc", parent=district)
    ia_rsai = UnitFactory(code="002.37.H21", name="UBND xã Ia Rsai", parent=district)
    new_commune = UnitFactory(
        code="X24700", name="UBND xã Phú Túc", parent=province, valid_from=dt.date(2025, 7, 1)
    )
    for old in (phu_tuc, ia_rsai):
        old.valid_to = dt.date(2025, 6, 30)
        old.save()
        old.successors.add(new_commune)
    return {
        "province": province,
        "other_province": other_province,
        "district": district,
        "phu_tuc": phu_tuc,
        "ia_rsai": ia_rsai,
        "new_commune": new_commune,
    }


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_it_keeps_materialised_paths_of_the_subtree(tree):
    assert (
        tree["phu_tuc"].path
        == f"/{tree['province'].pk}/{tree['district'].pk}/{tree['phu_tuc'].pk}/"
    )
    tree["district"].parent = tree["other_province"]
    tree["district"].save()
    tree["phu_tuc"].refresh_from_db()
    assert tree["phu_tuc"].path.startswith(f"/{tree['other_province'].pk}/")


def test_it_shows_a_desk_officer_only_their_subtree(tree):
    officer = MembershipFactory(unit=tree["district"], role=Role.DESK_OFFICER).user
    assert codes(units_visible_to(officer)) == {"000.00.37.H21", "001.37.H21", "002.37.H21"}


def test_it_hides_a_sibling_commune_from_a_commune_officer(tree):
    officer = MembershipFactory(unit=tree["ia_rsai"], role=Role.DESK_OFFICER).user
    assert codes(units_visible_to(officer)) == {"002.37.H21"}
    assert not units_visible_to(officer).filter(pk=tree["phu_tuc"].pk).exists()


@pytest.mark.parametrize("role", [Role.COMMITTEE_MEMBER, Role.ADMINISTRATOR])
def test_it_shows_committee_and_admins_everything_under_their_root(tree, role):
    member = MembershipFactory(unit=tree["district"], role=role).user
    visible = codes(units_visible_to(member))
    assert visible == {"000.00.00.H21", "000.00.37.H21", "001.37.H21", "002.37.H21", "X24700"}
    assert "000.00.00.H99" not in visible


def test_it_shows_a_merged_commune_the_units_it_absorbed(tree):
    officer = MembershipFactory(unit=tree["new_commune"], role=Role.DESK_OFFICER).user
    assert codes(units_visible_to(officer)) == {"X24700", "001.37.H21", "002.37.H21"}


def test_it_follows_successors_transitively_with_their_subtrees(tree):
    tree["district"].successors.add(tree["new_commune"])
    officer = MembershipFactory(unit=tree["new_commune"], role=Role.UNIT_LEADER).user
    assert codes(units_visible_to(officer)) == {
        "X24700",
        "000.00.37.H21",
        "001.37.H21",
        "002.37.H21",
    }


def test_it_shows_nothing_without_login_membership_or_when_inactive(tree):
    assert not units_visible_to(AnonymousUser()).exists()
    assert not units_visible_to(UserFactory()).exists()
    membership = MembershipFactory(unit=tree["district"], is_active=False)
    assert not units_visible_to(membership.user).exists()
    disabled = MembershipFactory(unit=tree["district"], user=UserFactory(is_active=False)).user
    assert not units_visible_to(disabled).exists()


def test_it_shows_a_superuser_every_unit(tree):
    root = UserFactory(is_superuser=True, is_staff=True)
    assert units_visible_to(root).count() == Unit.objects.count()


def test_it_allows_only_one_active_membership_per_user(tree):
    from django.db import IntegrityError

    membership = MembershipFactory(unit=tree["district"])
    MembershipFactory(user=membership.user, unit=tree["province"], is_active=False)
    with pytest.raises(IntegrityError):
        MembershipFactory(user=membership.user, unit=tree["province"])
