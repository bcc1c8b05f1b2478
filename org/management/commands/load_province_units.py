"""``manage.py load_province_units PROVINCE``: the two-tier tree of one province since 2025.

The list comes from the ``vietnam-provinces`` package (GSO data after the 2025 merger: 34
provinces, 3,321 communes, wards and special zones) and goes through the same all-or-nothing
``units_import`` as a file, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from vietnam_provinces import Province, VietNamDivisionType, Ward

from org.management.commands.import_units import report_result
from org.models import REFORM_DATE, UnitLevel
from org.services import units_import
from org.tabular import NumberedRow, parse_date

# Decree 118/2025: from this day local government has only province and commune levels.
_NAME_PREFIX = re.compile(r"^(tinh|thanh_pho|tp)_")


def province_unit_code(province: Province, *, prefix: str = "") -> str:
    return f"{prefix}T{int(province.code):02d}"


def ward_unit_code(ward: Ward, *, prefix: str = "") -> str:
    return f"{prefix}X{int(ward.code):05d}"


def province_find(text: str) -> Province:
    """The province named by its GSO code (``1``, ``01``), codename (``ha_noi``) or name.

    Names match without regard to case, diacritics or the "Tỉnh"/"Thành phố" prefix, so
    ``Hà Nội``, ``Thành phố Hà Nội`` and ``ha noi`` are all Hà Nội.
    """
    text = text.strip()
    provinces = list(Province.iter_all())
    if text.isdecimal():
        for province in provinces:
            if int(province.code) == int(text):
                return province
    else:
        key = _NAME_PREFIX.sub("", _fold(text))
        for province in provinces:
            if key in {province.codename, _NAME_PREFIX.sub("", _fold(province.name))}:
                return province
    raise CommandError(
        _("Unknown province '%(province)s'. Use a GSO code or one of: %(choices)s")
        % {
            "province": text,
            "choices": ", ".join(f"{int(p.code):02d} {p.codename}" for p in provinces),
        }
    )


def province_unit_rows(
    province: Province, *, code_prefix: str = "", valid_from: dt.date = REFORM_DATE
) -> list[NumberedRow]:
    """Import rows for the province and its wards, numbered as if written to a file.

    ``valid_to``, ``successor_code`` and the province's parent are left out on purpose: they
    record later reforms and the place of the province in a wider tree, which an
    administrator may have set and a reload must not undo.
    """
    province_code = province_unit_code(province, prefix=code_prefix)
    name = province.name
    if province.division_type == VietNamDivisionType.TINH and not _fold(name).startswith("tinh"):
        name = f"Tỉnh {name}"
    rows: list[NumberedRow] = [
        (
            2,
            {
                "code": province_code,
                "name": name,
                "level": UnitLevel.PROVINCE.value,
                "valid_from": valid_from.isoformat(),
                "statistical_code": f"{int(province.code):02d}",
            },
        )
    ]
    wards = sorted(Ward.iter_by_province(province.code), key=lambda ward: int(ward.code))
    for number, ward in enumerate(wards, start=3):
        rows.append(
            (
                number,
                {
                    "code": ward_unit_code(ward, prefix=code_prefix),
                    "name": ward.name,
                    "level": UnitLevel.COMMUNE.value,
                    "parent_code": province_code,
                    "valid_from": valid_from.isoformat(),
                    "statistical_code": f"{int(ward.code):05d}",
                },
            )
        )
    return rows


def _fold(text: str) -> str:
    """``Thành phố Hồ Chí Minh`` -> ``thanh_pho_ho_chi_minh``, the package's codename style."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


class Command(BaseCommand):
    help = (
        "Load one province and its communes, wards and special zones as they are since "
        "2025-07-01 (Decree 118/2025), from the vietnam-provinces package. PROVINCE is the GSO "
        "code (01), the codename (ha_noi) or the name (Hà Nội). The package has no QCVN 102 "
        "codes, so unit codes are made from the GSO codes: the province is T + 2 digits "
        "(Hà Nội: T01), each commune/ward/special zone X + 5 digits (Phường Hoàn Kiếm: X00070), "
        "both after --code-prefix; the GSO code itself goes to statistical_code. Levels are "
        "province and commune. Re-running changes nothing; all or nothing like import_units."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("province", help="GSO code, codename or name of the province")
        parser.add_argument(
            "--code-prefix",
            default="",
            help="text put before every generated code, e.g. 'VN-' gives VN-T01 (default: none)",
        )
        parser.add_argument(
            "--valid-from",
            default=REFORM_DATE.isoformat(),
            help="first day of validity, YYYY-MM-DD or DD/MM/YYYY (default: 2025-07-01)",
        )

    def handle(
        self, *args: Any, province: str, code_prefix: str, valid_from: str, **options: Any
    ) -> None:
        try:
            start = parse_date(valid_from)
        except ValueError as exc:
            raise CommandError(
                _("--valid-from: '%(value)s' is not a date; write YYYY-MM-DD or DD/MM/YYYY")
                % {"value": valid_from}
            ) from exc
        found = province_find(province)
        rows = province_unit_rows(found, code_prefix=code_prefix.strip(), valid_from=start)
        self.stdout.write(
            _("%(province)s: %(count)d communes, wards and special zones.")
            % {"province": rows[0][1]["name"], "count": len(rows) - 1}
        )
        report_result(self, units_import(rows=rows))
