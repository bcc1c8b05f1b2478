# ruff: noqa: E501  (catalogue data: one procedure a line, official names are long)
"""Write the demo procedure catalogue: ``procedures/demo/procedures.csv`` and
``procedures/demo/procedures_2025.csv``.

``procedures.csv`` is the catalogue in force at UBND huyện Krông Pa (tỉnh Gia Lai) in Q1 2021,
as in the seed article: 372 procedures = 200 district-level + 125 commune-level + 47
province-level ones whose dossiers are received at the district one-stop desk (land
registration handled by the district branch of the Land Registration Office, people with
merits, social protection).

Names follow the national procedure database. Codes are *synthetic* national-style codes
(``^\\d\\.\\d{6}$``) derived from a hash of level + name, so they are stable when entries are
added or removed; they do not claim to be the real codes. Decision numbers and dates are
plausible Gia Lai publication decisions (one per sector), not the real ones.

``procedures_2025.csv`` is the same 372 procedures after the reform of 1 July 2025, when
local government lost its district level: one new version of each, valid from 2025-07-01,
that names no implementing unit (every commune and ward of the new province receives the
commune-level ones; the provincial service centre and the departments the province-level
ones) and says at which level it is now handled:

- commune-level stays commune-level and province-level stays province-level;
- district-level civil status (hộ tịch) and certification (chứng thực) go to the commune, as
  Decree 120/2025/NĐ-CP (11 June 2025, in force 1 July 2025; justice sector) provides;
- district-level land procedures (all of this demo's concern households and individuals:
  allocation, change of use, first registration and certificates, recovery, disputes) go to
  the commune;
- every other district-level procedure goes to the province.

What is illustrative, not verified: the land split (the decree on land under the two-tier
government is not checked here), the split of every other sector (in reality many more
district powers went to the communes — household businesses, social protection, education —
and some procedures were abolished or merged), the renaming of "cấp huyện" in names to the new
level (and of the one commune procedure that referred to the district), the legal-basis line
added to the moved procedures outside the justice sector (no decree number is claimed), the
2025 publication decisions (numbers and dates), and the move of online levels to the two kinds
of Decree 42/2022 (level 4 → fully online, levels 2 and 3 → partly online). Sectors keep their
2021 codes and names (the ministries merged in 2025 are not modelled). Processing times, fees,
results and documents do not change.

Run ``python procedures/demo/make_catalogue.py`` from the project root: the output is
byte-for-byte deterministic.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from collections import Counter
from pathlib import Path

OUTPUT = Path(__file__).with_name("procedures.csv")
OUTPUT_2025 = Path(__file__).with_name("procedures_2025.csv")

DISTRICT = "000.00.37.H21"
COMMUNES = ";".join(f"{n:03d}.37.H21" for n in range(1, 15))

COLUMNS = [
    "code",
    "name",
    "sector_code",
    "sector_name",
    "level",
    "online_level",
    "processing_time",
    "processing_unit",
    "fee",
    "fee_description",
    "result",
    "legal_basis",
    "decision_number",
    "decision_date",
    "valid_from",
    "implementing_unit_codes",
    "documents",
]

EXPECTED = {"district": 200, "commune": 125, "province": 47}

# sector code: (name, legal basis, decision number, decision date, default documents,
#               default online level)
SECTORS: dict[str, tuple[str, str, int, str, str, int]] = {
    "BTP-HT": (
        "Hộ tịch",
        "Luật Hộ tịch năm 2014; Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP",
        1245,
        "2020-09-14",
        "Tờ khai theo mẫu;Giấy tờ tùy thân của người yêu cầu*s",
        3,
    ),
    "BTP-NCN": (
        "Nuôi con nuôi",
        "Luật Nuôi con nuôi năm 2010; Nghị định 19/2011/NĐ-CP; Nghị định 24/2019/NĐ-CP",
        1245,
        "2020-09-14",
        "Đơn xin nhận con nuôi;Giấy khai sinh của người được nhận làm con nuôi*c;"
        "Giấy khám sức khỏe;Phiếu lý lịch tư pháp",
        2,
    ),
    "BTP-CT": (
        "Chứng thực",
        "Nghị định 23/2015/NĐ-CP; Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC",
        872,
        "2020-06-29",
        "Phiếu yêu cầu chứng thực;Giấy tờ tùy thân của người yêu cầu*s",
        2,
    ),
    "BTP-HGCS": (
        "Hòa giải ở cơ sở",
        "Luật Hòa giải ở cơ sở năm 2013; Nghị định 15/2014/NĐ-CP",
        318,
        "2019-05-27",
        "Văn bản đề nghị;Biên bản bầu hoặc danh sách kèm theo",
        3,
    ),
    "BTP-PBGDPL": (
        "Phổ biến, giáo dục pháp luật",
        "Luật Phổ biến, giáo dục pháp luật năm 2012; Thông tư 10/2016/TT-BTP",
        318,
        "2019-05-27",
        "Văn bản đề nghị;Danh sách trích ngang người được đề nghị",
        3,
    ),
    "BTP-BTNN": (
        "Bồi thường nhà nước",
        "Luật Trách nhiệm bồi thường của Nhà nước năm 2017; Nghị định 68/2018/NĐ-CP",
        318,
        "2019-05-27",
        "Văn bản yêu cầu bồi thường;Văn bản làm căn cứ yêu cầu bồi thường*c;"
        "Giấy tờ tùy thân của người yêu cầu*s",
        2,
    ),
    "TNMT-DD": (
        "Đất đai",
        "Luật Đất đai năm 2013; Nghị định 43/2014/NĐ-CP; Nghị định 01/2017/NĐ-CP; "
        "Thông tư 24/2014/TT-BTNMT; Thông tư 33/2017/TT-BTNMT",
        1105,
        "2020-08-19",
        "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất;"
        "Bản gốc Giấy chứng nhận đã cấp;Giấy tờ liên quan đến nội dung biến động*c",
        2,
    ),
    "TP-DKBPBD": (
        "Đăng ký biện pháp bảo đảm",
        "Bộ luật Dân sự năm 2015; Nghị định 102/2017/NĐ-CP; "
        "Thông tư liên tịch 09/2016/TTLT-BTP-BTNMT",
        1105,
        "2020-08-19",
        "Phiếu yêu cầu đăng ký;Hợp đồng thế chấp có công chứng, chứng thực;Bản gốc Giấy chứng nhận",
        3,
    ),
    "TNMT-TNN": (
        "Tài nguyên nước",
        "Luật Tài nguyên nước năm 2012; Nghị định 201/2013/NĐ-CP; Thông tư 27/2014/TT-BTNMT",
        1106,
        "2020-08-19",
        "Văn bản đề nghị;Hồ sơ dự án hoặc tờ khai đăng ký",
        2,
    ),
    "TNMT-MT": (
        "Môi trường",
        "Luật Bảo vệ môi trường năm 2014; Nghị định 18/2015/NĐ-CP; Nghị định 40/2019/NĐ-CP",
        1106,
        "2020-08-19",
        "Văn bản đề nghị;Kế hoạch bảo vệ môi trường;Báo cáo đề xuất dự án*s",
        3,
    ),
    "BXD-HDXD": (
        "Hoạt động xây dựng",
        "Luật Xây dựng năm 2014; Nghị định 59/2015/NĐ-CP; Thông tư 15/2016/TT-BXD",
        682,
        "2020-05-21",
        "Đơn đề nghị cấp giấy phép xây dựng;"
        "Giấy tờ hợp pháp về quyền sử dụng đất*c;Bản vẽ thiết kế xây dựng",
        3,
    ),
    "BXD-QHXD": (
        "Quy hoạch xây dựng, kiến trúc",
        "Luật Quy hoạch đô thị năm 2009; Luật Xây dựng năm 2014; Nghị định 44/2015/NĐ-CP",
        682,
        "2020-05-21",
        "Tờ trình đề nghị thẩm định;Thuyết minh và bản vẽ;Văn bản pháp lý liên quan*s",
        2,
    ),
    "BXD-HTKT": (
        "Hạ tầng kỹ thuật đô thị",
        "Nghị định 64/2010/NĐ-CP; Thông tư 20/2009/TT-BXD",
        682,
        "2020-05-21",
        "Đơn đề nghị;Sơ đồ vị trí cây xanh",
        2,
    ),
    "KHDT-HKD": (
        "Thành lập và hoạt động của hộ kinh doanh",
        "Luật Doanh nghiệp năm 2014; Nghị định 78/2015/NĐ-CP; Nghị định 108/2018/NĐ-CP",
        1390,
        "2020-10-12",
        "Giấy đề nghị đăng ký hộ kinh doanh;Giấy tờ pháp lý của cá nhân*s",
        4,
    ),
    "KHDT-HTX": (
        "Thành lập và hoạt động của hợp tác xã",
        "Luật Hợp tác xã năm 2012; Nghị định 193/2013/NĐ-CP; Thông tư 07/2019/TT-BKHĐT",
        1390,
        "2020-10-12",
        "Giấy đề nghị đăng ký hợp tác xã;Điều lệ hợp tác xã;Nghị quyết của đại hội thành viên",
        3,
    ),
    "KHDT-THT": (
        "Thành lập và hoạt động của tổ hợp tác",
        "Bộ luật Dân sự năm 2015; Nghị định 77/2019/NĐ-CP",
        1390,
        "2020-10-12",
        "Thông báo theo mẫu;Hợp đồng hợp tác*s",
        4,
    ),
    "LDTBXH-BTXH": (
        "Bảo trợ xã hội",
        "Nghị định 136/2013/NĐ-CP; Nghị định 103/2017/NĐ-CP; Thông tư 02/2018/TT-BLĐTBXH",
        954,
        "2020-07-08",
        "Tờ khai thông tin của đối tượng;Giấy tờ tùy thân của đối tượng*s;"
        "Giấy xác nhận khuyết tật hoặc giấy tờ chứng minh*s",
        3,
    ),
    "LDTBXH-GN": (
        "Giảm nghèo",
        "Quyết định 59/2015/QĐ-TTg; Thông tư 17/2016/TT-BLĐTBXH; Thông tư 14/2018/TT-BLĐTBXH",
        954,
        "2020-07-08",
        "Giấy đề nghị xét duyệt bổ sung hộ nghèo, hộ cận nghèo;Phiếu nhận dạng hộ gia đình",
        2,
    ),
    "LDTBXH-TE": (
        "Trẻ em",
        "Luật Trẻ em năm 2016; Nghị định 56/2017/NĐ-CP",
        954,
        "2020-07-08",
        "Đơn đăng ký hoặc văn bản thông báo;Giấy tờ tùy thân của người đăng ký*s;"
        "Giấy khai sinh của trẻ em*s",
        2,
    ),
    "LDTBXH-TNXH": (
        "Phòng, chống tệ nạn xã hội",
        "Luật Phòng, chống ma túy năm 2000 (sửa đổi 2008); Nghị định 94/2010/NĐ-CP; "
        "Nghị định 80/2018/NĐ-CP",
        954,
        "2020-07-08",
        "Đơn đăng ký hoặc đơn đề nghị;Bản cam kết;Giấy tờ tùy thân của người nghiện*s",
        2,
    ),
    "LDTBXH-NCC": (
        "Người có công",
        "Pháp lệnh Ưu đãi người có công với cách mạng năm 2005 (sửa đổi 2012); "
        "Nghị định 31/2013/NĐ-CP; Thông tư 05/2013/TT-BLĐTBXH",
        955,
        "2020-07-08",
        "Bản khai theo mẫu;Giấy tờ làm căn cứ xác nhận*c;Biên bản họp xét duyệt của xã",
        2,
    ),
    "LDTBXH-LDNN": (
        "Quản lý lao động ngoài nước",
        "Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng năm 2006; "
        "Quyết định 46/2015/QĐ-TTg; Thông tư liên tịch 09/2016/TTLT-BLĐTBXH-BTC",
        955,
        "2020-07-08",
        "Đơn đề nghị hỗ trợ;Hợp đồng đưa người lao động đi làm việc ở nước ngoài*s;"
        "Giấy tờ chứng minh thuộc đối tượng*s",
        2,
    ),
    "GDDT": (
        "Giáo dục và Đào tạo",
        "Luật Giáo dục năm 2019; Nghị định 46/2017/NĐ-CP; Nghị định 135/2018/NĐ-CP",
        1520,
        "2020-11-09",
        "Tờ trình hoặc đơn đề nghị;Đề án hoặc hồ sơ kèm theo;Văn bản pháp lý liên quan*s",
        3,
    ),
    "YT-DS": (
        "Dân số - Kế hoạch hóa gia đình",
        "Pháp lệnh Dân số năm 2003 (sửa đổi 2008); Nghị định 39/2015/NĐ-CP",
        1031,
        "2020-07-24",
        "Đơn đề nghị hưởng chính sách;Giấy khai sinh của con*s",
        2,
    ),
    "YT-ATTP": (
        "An toàn thực phẩm và Dinh dưỡng",
        "Luật An toàn thực phẩm năm 2010; Nghị định 15/2018/NĐ-CP; Nghị định 155/2018/NĐ-CP; "
        "Thông tư 67/2016/TT-BTC",
        1031,
        "2020-07-24",
        "Đơn đề nghị cấp Giấy chứng nhận;Bản thuyết minh về cơ sở vật chất, trang thiết bị;"
        "Giấy xác nhận đủ sức khỏe của chủ cơ sở và người trực tiếp chế biến*s",
        3,
    ),
    "VHTTDL-VH": (
        "Văn hóa cơ sở",
        "Nghị định 122/2018/NĐ-CP; Nghị định 110/2018/NĐ-CP; Nghị định 54/2019/NĐ-CP; "
        "Thông tư 08/2014/TT-BVHTTDL",
        812,
        "2020-06-15",
        "Báo cáo thành tích hoặc văn bản đề nghị;Biên bản họp bình xét",
        3,
    ),
    "VHTTDL-GD": (
        "Gia đình",
        "Luật Phòng, chống bạo lực gia đình năm 2007; Nghị định 08/2009/NĐ-CP; "
        "Nghị định 02/2013/NĐ-CP",
        812,
        "2020-06-15",
        "Đơn đề nghị đăng ký hoạt động;Quy chế hoạt động;Danh sách người làm công tác hỗ trợ",
        3,
    ),
    "VHTTDL-TV": (
        "Thư viện",
        "Luật Thư viện năm 2019; Nghị định 93/2020/NĐ-CP",
        1500,
        "2020-11-02",
        "Văn bản thông báo theo mẫu;Danh mục vốn tài liệu hoặc quy chế tổ chức và hoạt động",
        4,
    ),
    "VHTTDL-TDTT": (
        "Thể dục thể thao",
        "Luật Thể dục, thể thao năm 2006 (sửa đổi 2018); Thông tư 18/2011/TT-BVHTTDL",
        812,
        "2020-06-15",
        "Đơn đề nghị công nhận câu lạc bộ;Danh sách ban chủ nhiệm;Quy chế hoạt động",
        3,
    ),
    "TTTT-PTTH": (
        "Phát thanh, truyền hình và thông tin điện tử",
        "Nghị định 72/2013/NĐ-CP; Nghị định 27/2018/NĐ-CP; Thông tư 24/2014/TT-BTTTT",
        1210,
        "2020-09-02",
        "Đơn đề nghị theo mẫu;Giấy chứng nhận đăng ký kinh doanh*s",
        4,
    ),
    "TTTT-XB": (
        "Xuất bản, in và phát hành",
        "Luật Xuất bản năm 2012; Nghị định 60/2014/NĐ-CP; Nghị định 25/2018/NĐ-CP",
        1210,
        "2020-09-02",
        "Đơn đề nghị theo mẫu;Giấy chứng nhận đăng ký kinh doanh*s",
        4,
    ),
    "NV-TG": (
        "Tín ngưỡng, tôn giáo",
        "Luật Tín ngưỡng, tôn giáo năm 2016; Nghị định 162/2017/NĐ-CP",
        734,
        "2020-06-01",
        "Văn bản đăng ký hoặc thông báo theo mẫu;Danh mục hoạt động;Sơ yếu lý lịch người đại diện",
        3,
    ),
    "NV-TDKT": (
        "Thi đua, khen thưởng",
        "Luật Thi đua, khen thưởng năm 2003 (sửa đổi 2013); Nghị định 91/2017/NĐ-CP",
        734,
        "2020-06-01",
        "Tờ trình đề nghị khen thưởng;Báo cáo thành tích;Biên bản họp xét",
        3,
    ),
    "NV-HOI": (
        "Tổ chức phi chính phủ",
        "Nghị định 45/2010/NĐ-CP; Nghị định 33/2012/NĐ-CP; Thông tư 03/2013/TT-BNV",
        734,
        "2020-06-01",
        "Đơn đề nghị;Dự thảo điều lệ hoặc nghị quyết đại hội;Danh sách ban vận động",
        2,
    ),
    "NV-TN": (
        "Thanh niên",
        "Luật Thanh niên năm 2005; Nghị định 12/2012/NĐ-CP; Thông tư 11/2011/TT-BNV",
        734,
        "2020-06-01",
        "Văn bản đề nghị;Tài liệu chứng minh kèm theo*s",
        2,
    ),
    "NV-CCVC": (
        "Công chức, viên chức",
        "Luật Viên chức năm 2010 (sửa đổi 2019); Nghị định 115/2020/NĐ-CP",
        1608,
        "2020-12-04",
        "Phiếu đăng ký dự tuyển;Văn bằng, chứng chỉ*c",
        3,
    ),
    "NNPTNT-LN": (
        "Lâm nghiệp",
        "Luật Lâm nghiệp năm 2017; Nghị định 156/2018/NĐ-CP; Thông tư 27/2018/TT-BNNPTNT",
        902,
        "2020-07-01",
        "Văn bản đề nghị;Hồ sơ thiết kế hoặc bảng kê kèm theo",
        3,
    ),
    "NNPTNT-PCTT": (
        "Phòng, chống thiên tai",
        "Luật Phòng, chống thiên tai năm 2013; Nghị định 66/2014/NĐ-CP; Nghị định 114/2018/NĐ-CP",
        902,
        "2020-07-01",
        "Tờ trình đề nghị thẩm định, phê duyệt;Phương án ứng phó",
        2,
    ),
    "NNPTNT-TL": (
        "Thủy lợi",
        "Luật Thủy lợi năm 2017; Nghị định 67/2018/NĐ-CP; Nghị định 77/2018/NĐ-CP",
        902,
        "2020-07-01",
        "Tờ trình đề nghị thẩm định, phê duyệt;Phương án hoặc hồ sơ thiết kế",
        2,
    ),
    "NNPTNT-NN": (
        "Nông nghiệp",
        "Nghị định 02/2017/NĐ-CP; Nghị định 83/2018/NĐ-CP; Nghị định 98/2018/NĐ-CP; "
        "Nghị định 62/2019/NĐ-CP",
        902,
        "2020-07-01",
        "Đơn đề nghị hoặc bản đăng ký theo mẫu;Giấy tờ chứng minh kèm theo*s",
        3,
    ),
    "GTVT-DB": (
        "Đường bộ",
        "Luật Giao thông đường bộ năm 2008; Nghị định 11/2010/NĐ-CP; Thông tư 50/2015/TT-BGTVT",
        1177,
        "2020-08-28",
        "Đơn đề nghị;Hồ sơ thiết kế và bình đồ vị trí công trình",
        3,
    ),
    "GTVT-DTND": (
        "Đường thủy nội địa",
        "Luật Giao thông đường thủy nội địa năm 2004 (sửa đổi 2014); "
        "Thông tư 75/2014/TT-BGTVT; Thông tư 198/2016/TT-BTC",
        1177,
        "2020-08-28",
        "Tờ khai đăng ký phương tiện;Giấy tờ chứng minh quyền sở hữu phương tiện;Ảnh phương tiện",
        3,
    ),
    "BCT-LTHH": (
        "Lưu thông hàng hóa trong nước",
        "Luật Phòng, chống tác hại của thuốc lá năm 2012; Nghị định 67/2013/NĐ-CP; "
        "Nghị định 105/2017/NĐ-CP; Nghị định 87/2018/NĐ-CP; Thông tư 168/2016/TT-BTC",
        1068,
        "2020-08-03",
        "Đơn đề nghị cấp giấy phép;Giấy chứng nhận đăng ký hộ kinh doanh hoặc doanh nghiệp*s;"
        "Bản kê địa điểm kinh doanh",
        4,
    ),
    "TTCP-KN": (
        "Giải quyết khiếu nại",
        "Luật Khiếu nại năm 2011; Nghị định 124/2020/NĐ-CP; Thông tư 07/2013/TT-TTCP",
        1423,
        "2020-10-22",
        "Đơn khiếu nại hoặc văn bản ghi lại nội dung khiếu nại;Tài liệu, chứng cứ kèm theo*s",
        2,
    ),
    "TTCP-TC": (
        "Giải quyết tố cáo",
        "Luật Tố cáo năm 2018; Nghị định 31/2019/NĐ-CP; Thông tư 06/2013/TT-TTCP",
        1423,
        "2020-10-22",
        "Đơn tố cáo hoặc văn bản ghi lại nội dung tố cáo;Tài liệu, chứng cứ kèm theo*s",
        2,
    ),
    "TTCP-TCD": (
        "Tiếp công dân",
        "Luật Tiếp công dân năm 2013; Nghị định 64/2014/NĐ-CP; Thông tư 06/2014/TT-TTCP",
        1423,
        "2020-10-22",
        "Đơn hoặc văn bản ghi nội dung trình bày;Giấy tờ tùy thân*s",
        2,
    ),
    "TTCP-XLD": (
        "Xử lý đơn thư",
        "Luật Khiếu nại năm 2011; Luật Tố cáo năm 2018; Thông tư 07/2014/TT-TTCP",
        1423,
        "2020-10-22",
        "Đơn khiếu nại, tố cáo, kiến nghị, phản ánh",
        2,
    ),
    "TTCP-PCTN": (
        "Phòng, chống tham nhũng",
        "Luật Phòng, chống tham nhũng năm 2018; Nghị định 59/2019/NĐ-CP; Nghị định 78/2013/NĐ-CP",
        1423,
        "2020-10-22",
        "Văn bản yêu cầu hoặc bản kê khai theo mẫu",
        2,
    ),
    "BQP-NVQS": (
        "Nghĩa vụ quân sự",
        "Luật Nghĩa vụ quân sự năm 2015; Nghị định 13/2016/NĐ-CP; Thông tư 07/2016/TT-BQP",
        1329,
        "2020-09-28",
        "Phiếu tự khai sơ yếu lý lịch nghĩa vụ quân sự;Giấy tờ tùy thân*s",
        3,
    ),
}

# One entry a line: name ~ time ~ result ~ fee ~ documents ~ online level.
# time: "5" working days, "8h" working hours, "45c" calendar days.
# fee: "" free, "8000/bản" (VND per unit).  documents: "" sector default, else names
# separated by ";" with suffix *s (plain copy), *c (certified copy), default one original.
# online level: "" sector default.
CATALOGUE: dict[tuple[str, str], str] = {}

CATALOGUE["commune", "BTP-HT"] = """
Đăng ký khai sinh ~ 1 ~ Giấy khai sinh ~ ~ Tờ khai đăng ký khai sinh;Giấy chứng sinh ~ 4
Đăng ký kết hôn ~ 1 ~ Giấy chứng nhận kết hôn ~ ~ Tờ khai đăng ký kết hôn;Giấy xác nhận tình trạng hôn nhân ~
Đăng ký nhận cha, mẹ, con ~ 3 ~ Trích lục đăng ký nhận cha, mẹ, con ~ 15000/việc ~ Tờ khai đăng ký nhận cha, mẹ, con;Chứng cứ chứng minh quan hệ cha, mẹ, con ~
Đăng ký khai sinh kết hợp nhận cha, mẹ, con ~ 3 ~ Giấy khai sinh ~ 15000/việc ~ Tờ khai đăng ký khai sinh;Tờ khai đăng ký nhận cha, mẹ, con;Giấy chứng sinh;Chứng cứ chứng minh quan hệ cha, mẹ, con ~
Đăng ký khai tử ~ 1 ~ Trích lục khai tử ~ ~ Tờ khai đăng ký khai tử;Giấy báo tử ~ 4
Đăng ký khai sinh lưu động ~ 5 ~ Giấy khai sinh ~ ~ Tờ khai đăng ký khai sinh;Giấy chứng sinh ~ 2
Đăng ký kết hôn lưu động ~ 5 ~ Giấy chứng nhận kết hôn ~ ~ Tờ khai đăng ký kết hôn ~ 2
Đăng ký khai tử lưu động ~ 5 ~ Trích lục khai tử ~ ~ Tờ khai đăng ký khai tử;Giấy báo tử ~ 2
Đăng ký giám hộ ~ 3 ~ Trích lục đăng ký giám hộ ~ ~ Tờ khai đăng ký giám hộ;Văn bản cử người giám hộ ~
Đăng ký chấm dứt giám hộ ~ 2 ~ Trích lục đăng ký chấm dứt giám hộ ~ ~ Tờ khai đăng ký chấm dứt giám hộ;Giấy tờ làm căn cứ chấm dứt giám hộ*s ~
Thay đổi, cải chính, bổ sung thông tin hộ tịch ~ 3 ~ Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch ~ 15000/việc ~ Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch;Giấy tờ liên quan làm căn cứ*s ~
Cấp Giấy xác nhận tình trạng hôn nhân ~ 3 ~ Giấy xác nhận tình trạng hôn nhân ~ ~ Tờ khai cấp Giấy xác nhận tình trạng hôn nhân ~ 4
Đăng ký lại khai sinh ~ 5 ~ Giấy khai sinh ~ ~ Tờ khai đăng ký lại khai sinh;Giấy tờ, tài liệu liên quan làm căn cứ*s ~
Đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân ~ 3 ~ Giấy khai sinh ~ ~ Tờ khai đăng ký khai sinh;Hồ sơ, giấy tờ cá nhân có thông tin về họ tên, ngày sinh*s ~
Đăng ký lại kết hôn ~ 5 ~ Giấy chứng nhận kết hôn ~ ~ Tờ khai đăng ký lại kết hôn;Bản sao giấy tờ có thông tin về việc kết hôn*s ~
Đăng ký lại khai tử ~ 5 ~ Trích lục khai tử ~ ~ Tờ khai đăng ký lại khai tử;Giấy tờ liên quan làm căn cứ*s ~
Cấp bản sao trích lục hộ tịch ~ 1 ~ Bản sao trích lục hộ tịch ~ 8000/bản ~ Tờ khai cấp bản sao trích lục hộ tịch ~ 4
Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi ~ 10 ~ Giấy khai sinh, sổ hộ khẩu đã đăng ký thường trú và thẻ bảo hiểm y tế ~ ~ Tờ khai đăng ký khai sinh;Giấy chứng sinh;Phiếu báo thay đổi hộ khẩu, nhân khẩu;Tờ khai tham gia bảo hiểm y tế ~
Liên thông thủ tục hành chính về đăng ký khai sinh, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi ~ 6 ~ Giấy khai sinh và thẻ bảo hiểm y tế ~ ~ Tờ khai đăng ký khai sinh;Giấy chứng sinh;Tờ khai tham gia bảo hiểm y tế ~
Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú ~ 8 ~ Giấy khai sinh và sổ hộ khẩu đã đăng ký thường trú ~ ~ Tờ khai đăng ký khai sinh;Giấy chứng sinh;Phiếu báo thay đổi hộ khẩu, nhân khẩu ~
Liên thông thủ tục hành chính về đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất, hỗ trợ chi phí mai táng, hưởng mai táng phí ~ 20 ~ Trích lục khai tử và quyết định hưởng chế độ ~ ~ Tờ khai đăng ký khai tử;Giấy báo tử;Sổ hộ khẩu;Tờ khai của thân nhân ~
Đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới ~ 3 ~ Giấy khai sinh ~ ~ Tờ khai đăng ký khai sinh;Giấy chứng sinh;Giấy tờ tùy thân của cha, mẹ*s ~ 2
Đăng ký kết hôn có yếu tố nước ngoài tại khu vực biên giới ~ 5 ~ Giấy chứng nhận kết hôn ~ ~ Tờ khai đăng ký kết hôn;Giấy xác nhận tình trạng hôn nhân của bên nước ngoài;Giấy tờ tùy thân của hai bên*s ~ 2
Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài tại khu vực biên giới ~ 5 ~ Trích lục đăng ký nhận cha, mẹ, con ~ ~ Tờ khai đăng ký nhận cha, mẹ, con;Chứng cứ chứng minh quan hệ cha, mẹ, con ~ 2
Đăng ký khai tử có yếu tố nước ngoài tại khu vực biên giới ~ 3 ~ Trích lục khai tử ~ ~ Tờ khai đăng ký khai tử;Giấy báo tử ~ 2
"""

CATALOGUE["commune", "BTP-NCN"] = """
Đăng ký nuôi con nuôi trong nước ~ 30c ~ Giấy chứng nhận nuôi con nuôi ~ 400000/trường hợp ~ ~
Đăng ký lại việc nuôi con nuôi trong nước ~ 5 ~ Trích lục đăng ký lại việc nuôi con nuôi ~ ~ Tờ khai đăng ký lại việc nuôi con nuôi;Bản sao giấy tờ chứng minh việc nuôi con nuôi đã đăng ký*s ~
"""

CATALOGUE["commune", "BTP-CT"] = """
Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận ~ 8h ~ Bản sao được chứng thực từ bản chính ~ 2000/trang ~ Bản chính giấy tờ, văn bản;Bản sao cần chứng thực ~
Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ và trường hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được) ~ 8h ~ Giấy tờ, văn bản được chứng thực chữ ký ~ 10000/trường hợp ~ Giấy tờ tùy thân của người yêu cầu*s;Giấy tờ, văn bản cần chứng thực chữ ký ~
Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở ~ 2 ~ Hợp đồng, giao dịch được chứng thực ~ 50000/hợp đồng ~ Dự thảo hợp đồng, giao dịch;Giấy tờ tùy thân của người yêu cầu*s;Giấy chứng nhận quyền sử dụng đất hoặc giấy tờ về tài sản*s ~
Chứng thực di chúc ~ 2 ~ Di chúc được chứng thực ~ 50000/trường hợp ~ Dự thảo di chúc;Giấy tờ tùy thân của người lập di chúc*s;Giấy tờ chứng minh quyền sở hữu tài sản*s ~
Chứng thực văn bản từ chối nhận di sản ~ 2 ~ Văn bản từ chối nhận di sản được chứng thực ~ 50000/trường hợp ~ Dự thảo văn bản từ chối nhận di sản;Giấy tờ tùy thân*s ~
Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là động sản, quyền sử dụng đất, nhà ở ~ 2 ~ Văn bản thỏa thuận phân chia di sản được chứng thực ~ 50000/trường hợp ~ Dự thảo văn bản thỏa thuận phân chia di sản;Giấy tờ tùy thân của người nhận di sản*s;Giấy chứng tử của người để lại di sản*s;Giấy tờ về tài sản*s ~
Chứng thực văn bản khai nhận di sản mà di sản là động sản, quyền sử dụng đất, nhà ở ~ 2 ~ Văn bản khai nhận di sản được chứng thực ~ 50000/trường hợp ~ Dự thảo văn bản khai nhận di sản;Giấy tờ tùy thân của người nhận di sản*s;Giấy chứng tử của người để lại di sản*s;Giấy tờ về tài sản*s ~
Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch ~ 2 ~ Văn bản sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch được chứng thực ~ 30000/hợp đồng ~ Dự thảo văn bản sửa đổi, bổ sung, hủy bỏ;Hợp đồng, giao dịch đã được chứng thực ~
Sửa lỗi sai sót trong hợp đồng, giao dịch ~ 2 ~ Hợp đồng, giao dịch đã được sửa lỗi sai sót ~ 25000/hợp đồng ~ Hợp đồng, giao dịch đã được chứng thực có sai sót ~
Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực ~ 2 ~ Bản sao có chứng thực hợp đồng, giao dịch ~ 2000/trang ~ Phiếu yêu cầu cấp bản sao;Giấy tờ tùy thân*s ~
Cấp bản sao từ sổ gốc ~ 1 ~ Bản sao từ sổ gốc ~ 8000/bản ~ Giấy tờ tùy thân của người yêu cầu*s ~
"""

CATALOGUE["commune", "BTP-HGCS"] = """
Thủ tục công nhận hòa giải viên ~ 5 ~ Quyết định công nhận hòa giải viên ~ ~ Văn bản đề xuất của Trưởng ban công tác Mặt trận;Biên bản bầu hòa giải viên ~
Thủ tục công nhận tổ trưởng tổ hòa giải ~ 5 ~ Quyết định công nhận tổ trưởng tổ hòa giải ~ ~ Văn bản đề xuất của Trưởng ban công tác Mặt trận;Biên bản bầu tổ trưởng tổ hòa giải ~
Thủ tục thôi làm hòa giải viên ~ 5 ~ Quyết định thôi làm hòa giải viên ~ ~ Văn bản đề nghị thôi làm hòa giải viên ~
Thủ tục bầu hòa giải viên ~ 5 ~ Biên bản bầu hòa giải viên ~ ~ Danh sách người được đề xuất bầu hòa giải viên ~
Thủ tục bầu tổ trưởng tổ hòa giải ~ 5 ~ Biên bản bầu tổ trưởng tổ hòa giải ~ ~ Danh sách hòa giải viên của tổ hòa giải ~
Thủ tục thanh toán thù lao cho hòa giải viên ~ 5 ~ Quyết định chi thù lao cho hòa giải viên ~ ~ Giấy đề nghị thanh toán thù lao;Văn bản xác nhận vụ việc hòa giải ~
Thủ tục thực hiện hỗ trợ khi hòa giải viên gặp tai nạn hoặc rủi ro ảnh hưởng đến sức khỏe, tính mạng trong khi thực hiện hoạt động hòa giải ~ 5 ~ Quyết định hỗ trợ ~ ~ Giấy đề nghị hỗ trợ;Biên bản xác nhận tai nạn hoặc rủi ro;Giấy tờ chứng minh chi phí điều trị*s ~
"""

CATALOGUE["commune", "BTP-PBGDPL"] = """
Công nhận tuyên truyền viên pháp luật ~ 5 ~ Quyết định công nhận tuyên truyền viên pháp luật ~ ~ ~
Cho thôi làm tuyên truyền viên pháp luật ~ 5 ~ Quyết định cho thôi làm tuyên truyền viên pháp luật ~ ~ Văn bản đề nghị cho thôi làm tuyên truyền viên pháp luật ~
"""

CATALOGUE["commune", "BTP-BTNN"] = """
Giải quyết yêu cầu bồi thường tại cơ quan trực tiếp quản lý người thi hành công vụ gây thiệt hại (cấp xã) ~ 60c ~ Quyết định giải quyết bồi thường ~ ~ ~
Phục hồi danh dự (cấp xã) ~ 15 ~ Văn bản xin lỗi, cải chính công khai ~ ~ Văn bản yêu cầu phục hồi danh dự;Quyết định giải quyết bồi thường có hiệu lực*c ~
"""

CATALOGUE["commune", "TNMT-DD"] = """
Hòa giải tranh chấp đất đai ~ 45c ~ Biên bản hòa giải tranh chấp đất đai ~ ~ Đơn yêu cầu hòa giải tranh chấp đất đai;Giấy tờ về quyền sử dụng đất của các bên*s ~
"""

CATALOGUE["commune", "TNMT-MT"] = """
Tham vấn ý kiến trong quá trình thực hiện đánh giá tác động môi trường ~ 15 ~ Văn bản trả lời tham vấn ~ ~ Văn bản đề nghị tham vấn;Tóm tắt báo cáo đánh giá tác động môi trường ~
Xác nhận đăng ký kế hoạch bảo vệ môi trường (trường hợp được Ủy ban nhân dân cấp huyện ủy quyền) ~ 10 ~ Giấy xác nhận đăng ký kế hoạch bảo vệ môi trường ~ ~ ~
"""

CATALOGUE["commune", "LDTBXH-BTXH"] = """
Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật ~ 25 ~ Giấy xác nhận khuyết tật ~ ~ Đơn đề nghị xác định mức độ khuyết tật;Hồ sơ bệnh án hoặc giấy tờ khám, điều trị*s ~ 3
Đổi, cấp lại Giấy xác nhận khuyết tật ~ 5 ~ Giấy xác nhận khuyết tật ~ ~ Đơn đề nghị đổi, cấp lại Giấy xác nhận khuyết tật ~ 3
Đăng ký hoạt động đối với cơ sở trợ giúp xã hội dưới 10 đối tượng có hoàn cảnh khó khăn ~ 5 ~ Giấy chứng nhận đăng ký hoạt động ~ ~ Tờ khai đăng ký hoạt động;Quy chế hoạt động;Danh sách đối tượng ~
Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở ~ 10 ~ Quyết định hỗ trợ làm nhà ở, sửa chữa nhà ở ~ ~ Tờ khai đề nghị hỗ trợ về nhà ở ~
Trợ giúp xã hội khẩn cấp về hỗ trợ chi phí mai táng ~ 2 ~ Quyết định hỗ trợ chi phí mai táng ~ ~ Tờ khai đề nghị hỗ trợ chi phí mai táng;Giấy báo tử*s ~
"""

CATALOGUE["commune", "LDTBXH-GN"] = """
Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm ~ 7 ~ Giấy chứng nhận hộ nghèo, hộ cận nghèo ~ ~ ~
Công nhận hộ thoát nghèo, hộ thoát cận nghèo trong năm ~ 7 ~ Quyết định công nhận hộ thoát nghèo, hộ thoát cận nghèo ~ ~ Giấy đề nghị xét duyệt hộ thoát nghèo, hộ thoát cận nghèo;Phiếu nhận dạng hộ gia đình ~
Công nhận hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp và diêm nghiệp có mức sống trung bình ~ 7 ~ Danh sách hộ có mức sống trung bình được công nhận ~ ~ Giấy đề nghị xét duyệt hộ có mức sống trung bình;Phiếu khảo sát thu nhập hộ gia đình ~
"""

CATALOGUE["commune", "LDTBXH-TE"] = """
Áp dụng các biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em khỏi môi trường hoặc người gây tổn hại cho trẻ em ~ 12h ~ Quyết định tạm thời cách ly trẻ em ~ ~ Biên bản ghi nhận thông tin, đánh giá nguy cơ;Báo cáo xác minh của công chức lao động - thương binh và xã hội ~
Đăng ký nhận chăm sóc thay thế cho trẻ em đối với cá nhân, người đại diện gia đình nhận chăm sóc thay thế không phải là người thân thích của trẻ em ~ 15 ~ Quyết định giao, nhận chăm sóc thay thế ~ ~ ~
Thông báo nhận chăm sóc thay thế cho trẻ em đối với cá nhân, người đại diện gia đình nhận chăm sóc thay thế là người thân thích của trẻ em ~ 5 ~ Văn bản ghi nhận việc chăm sóc thay thế ~ ~ ~
Phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em bị xâm hại hoặc có nguy cơ bị bạo lực, bóc lột, bỏ rơi và trẻ em có hoàn cảnh đặc biệt ~ 15 ~ Quyết định phê duyệt kế hoạch hỗ trợ, can thiệp ~ ~ Báo cáo đánh giá nguy cơ;Dự thảo kế hoạch hỗ trợ, can thiệp ~
Chấm dứt việc chăm sóc thay thế cho trẻ em ~ 5 ~ Quyết định chấm dứt việc chăm sóc thay thế ~ ~ Văn bản đề nghị chấm dứt việc chăm sóc thay thế;Báo cáo đánh giá của công chức phụ trách ~
"""

CATALOGUE["commune", "LDTBXH-TNXH"] = """
Quyết định cai nghiện ma túy tự nguyện tại gia đình ~ 5 ~ Quyết định quản lý cai nghiện tự nguyện tại gia đình ~ ~ ~
Quyết định cai nghiện ma túy tự nguyện tại cộng đồng ~ 5 ~ Quyết định cai nghiện tự nguyện tại cộng đồng ~ ~ ~
Hoãn chấp hành quyết định áp dụng biện pháp cai nghiện ma túy tại cộng đồng ~ 3 ~ Quyết định hoãn chấp hành ~ ~ Đơn đề nghị hoãn chấp hành;Giấy tờ chứng minh lý do hoãn*s ~
Miễn chấp hành quyết định áp dụng biện pháp cai nghiện ma túy tại cộng đồng ~ 3 ~ Quyết định miễn chấp hành ~ ~ Đơn đề nghị miễn chấp hành;Giấy tờ chứng minh lý do miễn*s ~
"""

CATALOGUE["commune", "LDTBXH-NCC"] = """
Xác nhận vào đơn đề nghị di chuyển hài cốt liệt sĩ; đơn đề nghị thăm viếng mộ liệt sĩ ~ 1 ~ Đơn đề nghị được xác nhận ~ ~ Đơn đề nghị di chuyển hài cốt hoặc thăm viếng mộ liệt sĩ ~ 3
Ủy quyền hưởng trợ cấp, phụ cấp ưu đãi ~ 5 ~ Giấy ủy quyền được xác nhận ~ ~ Giấy ủy quyền theo mẫu;Giấy tờ tùy thân của người được ủy quyền*s ~
"""

CATALOGUE["commune", "VHTTDL-VH"] = """
Xét tặng danh hiệu Gia đình văn hóa hàng năm ~ 5 ~ Giấy chứng nhận danh hiệu Gia đình văn hóa ~ ~ Biên bản họp bình xét của thôn, tổ dân phố;Danh sách đề nghị ~
Xét tặng Giấy khen Gia đình văn hóa ~ 5 ~ Giấy khen Gia đình văn hóa ~ ~ Báo cáo thành tích;Biên bản họp bình xét của thôn, tổ dân phố ~
Thủ tục thông báo tổ chức lễ hội cấp xã ~ 5 ~ Văn bản tiếp nhận thông báo ~ ~ Văn bản thông báo tổ chức lễ hội ~
"""

CATALOGUE["commune", "VHTTDL-GD"] = """
Đăng ký hoạt động cơ sở hỗ trợ nạn nhân bạo lực gia đình ~ 20 ~ Giấy chứng nhận đăng ký hoạt động ~ ~ ~
Đăng ký lại hoạt động cơ sở hỗ trợ nạn nhân bạo lực gia đình ~ 15 ~ Giấy chứng nhận đăng ký hoạt động ~ ~ Đơn đề nghị đăng ký lại hoạt động;Giấy chứng nhận đăng ký hoạt động đã cấp ~
Thay đổi nội dung ghi trong Giấy chứng nhận đăng ký hoạt động của cơ sở hỗ trợ nạn nhân bạo lực gia đình ~ 10 ~ Giấy chứng nhận đăng ký hoạt động đã điều chỉnh ~ ~ Đơn đề nghị thay đổi nội dung;Giấy chứng nhận đăng ký hoạt động đã cấp ~
"""

CATALOGUE["commune", "VHTTDL-TV"] = """
Thông báo thành lập thư viện đối với thư viện cộng đồng ~ 15 ~ Văn bản xác nhận thông báo thành lập thư viện ~ ~ ~
Thông báo sáp nhập, hợp nhất, chia, tách thư viện đối với thư viện cộng đồng ~ 15 ~ Văn bản xác nhận thông báo ~ ~ ~
Thông báo chấm dứt hoạt động thư viện cộng đồng ~ 15 ~ Văn bản xác nhận thông báo chấm dứt hoạt động ~ ~ Văn bản thông báo chấm dứt hoạt động ~
"""

CATALOGUE["commune", "VHTTDL-TDTT"] = """
Thủ tục công nhận câu lạc bộ thể thao cơ sở ~ 7 ~ Quyết định công nhận câu lạc bộ thể thao cơ sở ~ ~ ~
"""

CATALOGUE["commune", "GDDT"] = """
Thành lập nhóm trẻ, lớp mẫu giáo độc lập ~ 20 ~ Quyết định thành lập nhóm trẻ, lớp mẫu giáo độc lập ~ ~ ~
Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động giáo dục ~ 20 ~ Quyết định cho phép hoạt động giáo dục ~ ~ ~
Sáp nhập, chia, tách nhóm trẻ, lớp mẫu giáo độc lập ~ 20 ~ Quyết định sáp nhập, chia, tách ~ ~ ~
Giải thể nhóm trẻ, lớp mẫu giáo độc lập (theo đề nghị của tổ chức, cá nhân đề nghị thành lập) ~ 20 ~ Quyết định giải thể ~ ~ Tờ trình đề nghị giải thể;Phương án giải thể ~ 2
Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động giáo dục trở lại ~ 10 ~ Quyết định cho phép hoạt động giáo dục trở lại ~ ~ ~ 2
"""

CATALOGUE["commune", "NNPTNT-LN"] = """
Xác nhận bảng kê lâm sản ~ 3 ~ Bảng kê lâm sản được xác nhận ~ ~ Bảng kê lâm sản;Hồ sơ nguồn gốc lâm sản*s ~
"""

CATALOGUE["commune", "NNPTNT-NN"] = """
Phê duyệt kế hoạch khuyến nông địa phương (cấp xã) ~ 15 ~ Quyết định phê duyệt kế hoạch khuyến nông ~ ~ Tờ trình đề nghị phê duyệt;Dự thảo kế hoạch khuyến nông ~ 2
Đăng ký kê khai số lượng chăn nuôi tập trung và nuôi trồng thủy sản ban đầu ~ 3 ~ Bản đăng ký kê khai được xác nhận ~ ~ Bản đăng ký kê khai theo mẫu ~
Đăng ký chuyển đổi cơ cấu cây trồng trên đất trồng lúa ~ 5 ~ Văn bản chấp thuận chuyển đổi cơ cấu cây trồng ~ ~ Bản đăng ký chuyển đổi cơ cấu cây trồng trên đất trồng lúa ~
"""

CATALOGUE["commune", "NNPTNT-TL"] = """
Hỗ trợ đầu tư xây dựng phát triển thủy lợi nhỏ, thủy lợi nội đồng và tưới tiên tiến, tiết kiệm nước (đối với nguồn vốn giao cho Ủy ban nhân dân cấp xã thực hiện) ~ 15 ~ Quyết định phê duyệt hỗ trợ ~ ~ Đơn đăng ký hỗ trợ;Hồ sơ thiết kế hoặc bản vẽ mặt bằng ~
"""

CATALOGUE["commune", "GTVT-DTND"] = """
Đăng ký phương tiện lần đầu đối với phương tiện chưa khai thác trên đường thủy nội địa ~ 3 ~ Giấy chứng nhận đăng ký phương tiện thủy nội địa ~ 70000/giấy ~ ~
Đăng ký lại phương tiện trong trường hợp phương tiện thay đổi tên, tính năng kỹ thuật ~ 3 ~ Giấy chứng nhận đăng ký phương tiện thủy nội địa ~ 70000/giấy ~ ~
Đăng ký lại phương tiện trong trường hợp chuyển quyền sở hữu phương tiện nhưng không thay đổi cơ quan đăng ký phương tiện ~ 3 ~ Giấy chứng nhận đăng ký phương tiện thủy nội địa ~ 70000/giấy ~ ~
Đăng ký lại phương tiện trong trường hợp chuyển từ cơ quan đăng ký khác sang cơ quan đăng ký phương tiện thủy nội địa ~ 3 ~ Giấy chứng nhận đăng ký phương tiện thủy nội địa ~ 70000/giấy ~ ~
Cấp lại Giấy chứng nhận đăng ký phương tiện ~ 3 ~ Giấy chứng nhận đăng ký phương tiện thủy nội địa ~ 70000/giấy ~ Đơn đề nghị cấp lại Giấy chứng nhận đăng ký phương tiện ~
Xóa Giấy chứng nhận đăng ký phương tiện ~ 3 ~ Giấy chứng nhận xóa đăng ký phương tiện ~ ~ Đơn đề nghị xóa đăng ký phương tiện;Giấy chứng nhận đăng ký phương tiện đã cấp ~
"""

CATALOGUE["commune", "KHDT-THT"] = """
Thông báo thành lập tổ hợp tác ~ 3 ~ Văn bản tiếp nhận thông báo thành lập tổ hợp tác ~ ~ ~
Thông báo thay đổi tổ hợp tác ~ 3 ~ Văn bản tiếp nhận thông báo thay đổi tổ hợp tác ~ ~ ~
Thông báo chấm dứt hoạt động của tổ hợp tác ~ 3 ~ Văn bản tiếp nhận thông báo chấm dứt hoạt động ~ ~ ~
"""

CATALOGUE["commune", "NV-TG"] = """
Thủ tục đăng ký hoạt động tín ngưỡng ~ 15c ~ Văn bản chấp thuận đăng ký hoạt động tín ngưỡng ~ ~ ~
Thủ tục đăng ký bổ sung hoạt động tín ngưỡng ~ 15c ~ Văn bản chấp thuận đăng ký bổ sung hoạt động tín ngưỡng ~ ~ ~
Thủ tục đăng ký sinh hoạt tôn giáo tập trung ~ 20c ~ Văn bản chấp thuận đăng ký sinh hoạt tôn giáo tập trung ~ ~ ~
Thủ tục thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở một xã ~ 5 ~ Văn bản tiếp nhận thông báo ~ ~ ~
Thủ tục thông báo danh mục hoạt động tôn giáo bổ sung đối với tổ chức có địa bàn hoạt động tôn giáo ở một xã ~ 5 ~ Văn bản tiếp nhận thông báo ~ ~ ~
Thủ tục thông báo tổ chức quyên góp trong địa bàn một xã của cơ sở tín ngưỡng, tổ chức tôn giáo, tổ chức tôn giáo trực thuộc ~ 5 ~ Văn bản tiếp nhận thông báo ~ ~ ~
Thủ tục đề nghị thay đổi địa điểm sinh hoạt tôn giáo tập trung trong địa bàn một xã ~ 20c ~ Văn bản chấp thuận thay đổi địa điểm ~ ~ ~
Thủ tục thông báo về việc thay đổi địa điểm sinh hoạt tôn giáo tập trung đến địa bàn xã khác ~ 5 ~ Văn bản tiếp nhận thông báo ~ ~ ~
Thủ tục đăng ký thay đổi người đại diện của nhóm sinh hoạt tôn giáo tập trung ~ 20c ~ Văn bản chấp thuận thay đổi người đại diện ~ ~ ~
"""

CATALOGUE["commune", "NV-TDKT"] = """
Thủ tục xét tặng danh hiệu Lao động tiên tiến ~ 20 ~ Quyết định tặng danh hiệu Lao động tiên tiến ~ ~ ~
Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích thực hiện nhiệm vụ chính trị ~ 20 ~ Quyết định tặng Giấy khen ~ ~ ~
Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích thi đua theo đợt hoặc chuyên đề ~ 20 ~ Quyết định tặng Giấy khen ~ ~ ~
Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích đột xuất ~ 5 ~ Quyết định tặng Giấy khen ~ ~ Tờ trình đề nghị khen thưởng;Báo cáo tóm tắt thành tích ~
Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã cho gia đình ~ 20 ~ Quyết định tặng Giấy khen ~ ~ Tờ trình đề nghị khen thưởng;Báo cáo thành tích của gia đình ~
"""

CATALOGUE["commune", "NV-TN"] = """
Thủ tục xác nhận phiên hiệu thanh niên xung phong ở cấp xã ~ 10 ~ Văn bản xác nhận phiên hiệu thanh niên xung phong ~ ~ Văn bản đề nghị xác nhận phiên hiệu;Tài liệu, chứng cứ về tổ chức thanh niên xung phong*s ~
"""

CATALOGUE["commune", "TTCP-KN"] = """
Giải quyết khiếu nại lần đầu tại cấp xã ~ 30c ~ Quyết định giải quyết khiếu nại lần đầu ~ ~ ~
"""

CATALOGUE["commune", "TTCP-TC"] = """
Giải quyết tố cáo tại cấp xã ~ 30c ~ Kết luận nội dung tố cáo ~ ~ ~
"""

CATALOGUE["commune", "TTCP-TCD"] = """
Tiếp công dân tại cấp xã ~ 1 ~ Văn bản trả lời hoặc hướng dẫn công dân ~ ~ Đơn hoặc văn bản ghi nội dung trình bày;Giấy tờ tùy thân*s ~
"""

CATALOGUE["commune", "TTCP-XLD"] = """
Xử lý đơn tại cấp xã ~ 10 ~ Phiếu đề xuất xử lý đơn hoặc văn bản hướng dẫn, chuyển đơn ~ ~ Đơn khiếu nại, tố cáo, kiến nghị, phản ánh ~
"""

CATALOGUE["commune", "BQP-NVQS"] = """
Đăng ký nghĩa vụ quân sự lần đầu ~ 1 ~ Giấy chứng nhận đăng ký nghĩa vụ quân sự ~ ~ ~
Đăng ký nghĩa vụ quân sự bổ sung ~ 1 ~ Thông tin đăng ký nghĩa vụ quân sự được bổ sung ~ ~ Giấy tờ liên quan đến nội dung bổ sung*s ~
Đăng ký nghĩa vụ quân sự chuyển đi khi thay đổi nơi cư trú hoặc nơi làm việc, học tập ~ 1 ~ Giấy giới thiệu di chuyển đăng ký nghĩa vụ quân sự ~ ~ Giấy chứng nhận đăng ký nghĩa vụ quân sự ~
Đăng ký nghĩa vụ quân sự chuyển đến khi thay đổi nơi cư trú hoặc nơi làm việc, học tập ~ 1 ~ Xác nhận đăng ký nghĩa vụ quân sự chuyển đến ~ ~ Giấy giới thiệu di chuyển đăng ký nghĩa vụ quân sự;Giấy chứng nhận đăng ký nghĩa vụ quân sự ~
Đăng ký nghĩa vụ quân sự tạm vắng ~ 1 ~ Xác nhận đăng ký tạm vắng ~ ~ Giấy chứng nhận đăng ký nghĩa vụ quân sự ~
Đăng ký miễn gọi nhập ngũ thời chiến ~ 1 ~ Xác nhận đăng ký miễn gọi nhập ngũ thời chiến ~ ~ Quyết định bổ nhiệm hoặc giấy tờ chứng minh thuộc diện miễn*s ~ 2
"""

# ------------------------------------------------------------------ district level

CATALOGUE["district", "BTP-HT"] = """
Đăng ký khai sinh có yếu tố nước ngoài ~ 3 ~ Giấy khai sinh ~ 75000/việc ~ Tờ khai đăng ký khai sinh;Giấy chứng sinh;Văn bản thỏa thuận chọn quốc tịch cho con*c ~
Đăng ký kết hôn có yếu tố nước ngoài ~ 15 ~ Giấy chứng nhận kết hôn ~ 1000000/việc ~ Tờ khai đăng ký kết hôn;Giấy xác nhận tình trạng hôn nhân của người nước ngoài;Giấy xác nhận không mắc bệnh tâm thần;Hộ chiếu của người nước ngoài*s ~ 2
Đăng ký khai tử có yếu tố nước ngoài ~ 3 ~ Trích lục khai tử ~ 75000/việc ~ Tờ khai đăng ký khai tử;Giấy báo tử ~
Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài ~ 15 ~ Trích lục đăng ký nhận cha, mẹ, con ~ 1000000/việc ~ Tờ khai đăng ký nhận cha, mẹ, con;Chứng cứ chứng minh quan hệ cha, mẹ, con ~ 2
Đăng ký khai sinh kết hợp nhận cha, mẹ, con có yếu tố nước ngoài ~ 15 ~ Giấy khai sinh ~ 1000000/việc ~ Tờ khai đăng ký khai sinh;Tờ khai đăng ký nhận cha, mẹ, con;Giấy chứng sinh;Chứng cứ chứng minh quan hệ cha, mẹ, con ~ 2
Đăng ký giám hộ có yếu tố nước ngoài ~ 3 ~ Trích lục đăng ký giám hộ ~ 75000/việc ~ Tờ khai đăng ký giám hộ;Văn bản cử người giám hộ ~
Đăng ký chấm dứt giám hộ có yếu tố nước ngoài ~ 2 ~ Trích lục đăng ký chấm dứt giám hộ ~ 75000/việc ~ Tờ khai đăng ký chấm dứt giám hộ;Giấy tờ làm căn cứ chấm dứt giám hộ*s ~
Thay đổi, cải chính, bổ sung hộ tịch, xác định lại dân tộc ~ 3 ~ Trích lục thay đổi, cải chính, bổ sung hộ tịch, xác định lại dân tộc ~ 28000/việc ~ Tờ khai đăng ký thay đổi, cải chính, bổ sung hộ tịch, xác định lại dân tộc;Giấy tờ liên quan làm căn cứ*s ~
Ghi vào Sổ hộ tịch việc hộ tịch của cá nhân đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài (khai sinh; giám hộ; nhận cha, mẹ, con; xác định cha, mẹ, con; nuôi con nuôi; thay đổi hộ tịch) ~ 3 ~ Trích lục ghi chú hộ tịch ~ 50000/việc ~ Tờ khai ghi vào Sổ hộ tịch;Giấy tờ hộ tịch do cơ quan có thẩm quyền nước ngoài cấp*c ~
Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài ~ 5 ~ Trích lục ghi chú kết hôn ~ 50000/việc ~ Tờ khai ghi chú kết hôn;Giấy tờ chứng nhận việc kết hôn do cơ quan có thẩm quyền nước ngoài cấp*c ~
Ghi vào Sổ hộ tịch việc ly hôn, hủy việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài ~ 12 ~ Trích lục ghi chú ly hôn ~ 50000/việc ~ Tờ khai ghi chú ly hôn;Bản án, quyết định ly hôn của cơ quan có thẩm quyền nước ngoài*c ~ 2
Ghi vào Sổ hộ tịch việc khai tử đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài ~ 3 ~ Trích lục ghi chú khai tử ~ 50000/việc ~ Tờ khai ghi vào Sổ hộ tịch việc khai tử;Giấy tờ khai tử do cơ quan có thẩm quyền nước ngoài cấp*c ~
Đăng ký lại khai sinh có yếu tố nước ngoài ~ 5 ~ Giấy khai sinh ~ 75000/việc ~ Tờ khai đăng ký lại khai sinh;Giấy tờ, tài liệu liên quan làm căn cứ*s ~ 2
Đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân có yếu tố nước ngoài ~ 3 ~ Giấy khai sinh ~ 75000/việc ~ Tờ khai đăng ký khai sinh;Hồ sơ, giấy tờ cá nhân có thông tin về họ tên, ngày sinh*s ~ 2
Đăng ký lại kết hôn có yếu tố nước ngoài ~ 5 ~ Giấy chứng nhận kết hôn ~ 1000000/việc ~ Tờ khai đăng ký lại kết hôn;Bản sao giấy tờ có thông tin về việc kết hôn*s ~ 2
Đăng ký lại khai tử có yếu tố nước ngoài ~ 5 ~ Trích lục khai tử ~ 75000/việc ~ Tờ khai đăng ký lại khai tử;Giấy tờ liên quan làm căn cứ*s ~ 2
"""

CATALOGUE["district", "BTP-CT"] = """
Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận ~ 8h ~ Bản sao được chứng thực từ bản chính ~ 2000/trang ~ Bản chính giấy tờ, văn bản đã được hợp pháp hóa lãnh sự;Bản sao cần chứng thực ~
Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật của Phòng Tư pháp ~ 8h ~ Bản dịch được chứng thực chữ ký người dịch ~ 10000/trường hợp ~ Bản dịch đính kèm giấy tờ cần dịch;Giấy tờ tùy thân của người dịch*s ~
Chứng thực chữ ký người dịch mà người dịch không phải là cộng tác viên dịch thuật của Phòng Tư pháp ~ 8h ~ Bản dịch được chứng thực chữ ký người dịch ~ 10000/trường hợp ~ Bản dịch đính kèm giấy tờ cần dịch;Giấy tờ tùy thân của người dịch*s;Bằng cử nhân ngoại ngữ hoặc bằng tốt nghiệp đại học ở nước ngoài*c ~
Chứng thực chữ ký trong các giấy tờ, văn bản bằng tiếng nước ngoài hoặc song ngữ ~ 8h ~ Giấy tờ, văn bản được chứng thực chữ ký ~ 10000/trường hợp ~ Giấy tờ tùy thân của người yêu cầu*s;Giấy tờ, văn bản cần chứng thực chữ ký ~
Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản ~ 2 ~ Hợp đồng, giao dịch được chứng thực ~ 50000/hợp đồng ~ Dự thảo hợp đồng, giao dịch;Giấy tờ tùy thân của người yêu cầu*s;Giấy tờ chứng minh quyền sở hữu động sản*s ~
Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là động sản ~ 2 ~ Văn bản thỏa thuận phân chia di sản được chứng thực ~ 50000/trường hợp ~ Dự thảo văn bản thỏa thuận phân chia di sản;Giấy chứng tử của người để lại di sản*s;Giấy tờ chứng minh quyền sở hữu động sản*s ~
Chứng thực văn bản khai nhận di sản mà di sản là động sản ~ 2 ~ Văn bản khai nhận di sản được chứng thực ~ 50000/trường hợp ~ Dự thảo văn bản khai nhận di sản;Giấy chứng tử của người để lại di sản*s;Giấy tờ chứng minh quyền sở hữu động sản*s ~
Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch liên quan đến tài sản là động sản ~ 2 ~ Văn bản sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch được chứng thực ~ 30000/hợp đồng ~ Dự thảo văn bản sửa đổi, bổ sung, hủy bỏ;Hợp đồng, giao dịch đã được chứng thực ~
Sửa lỗi sai sót trong hợp đồng, giao dịch liên quan đến tài sản là động sản ~ 2 ~ Hợp đồng, giao dịch đã được sửa lỗi sai sót ~ 25000/hợp đồng ~ Hợp đồng, giao dịch đã được chứng thực có sai sót ~
Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch liên quan đến tài sản là động sản đã được chứng thực ~ 2 ~ Bản sao có chứng thực hợp đồng, giao dịch ~ 2000/trang ~ Phiếu yêu cầu cấp bản sao;Giấy tờ tùy thân*s ~
"""

CATALOGUE["district", "BTP-BTNN"] = """
Giải quyết yêu cầu bồi thường tại cơ quan trực tiếp quản lý người thi hành công vụ gây thiệt hại ~ 60c ~ Quyết định giải quyết bồi thường ~ ~ ~
Phục hồi danh dự ~ 15 ~ Văn bản xin lỗi, cải chính công khai ~ ~ Văn bản yêu cầu phục hồi danh dự;Quyết định giải quyết bồi thường có hiệu lực*c ~
Trả lại tài sản ~ 5 ~ Quyết định trả lại tài sản ~ ~ Văn bản yêu cầu trả lại tài sản;Quyết định giải quyết bồi thường có hiệu lực*c ~
"""

CATALOGUE["district", "BTP-PBGDPL"] = """
Công nhận báo cáo viên pháp luật (cấp huyện) ~ 5 ~ Quyết định công nhận báo cáo viên pháp luật ~ ~ ~
Công nhận xã, phường, thị trấn đạt chuẩn tiếp cận pháp luật ~ 20 ~ Quyết định công nhận xã đạt chuẩn tiếp cận pháp luật ~ ~ Văn bản đề nghị của Ủy ban nhân dân cấp xã;Báo cáo đánh giá kết quả thực hiện tiêu chí tiếp cận pháp luật;Bảng tổng hợp điểm số ~ 2
Miễn nhiệm báo cáo viên pháp luật (cấp huyện) ~ 5 ~ Quyết định miễn nhiệm báo cáo viên pháp luật ~ ~ Văn bản đề nghị miễn nhiệm ~
"""

CATALOGUE["district", "TNMT-DD"] = """
Giao đất, cho thuê đất cho hộ gia đình, cá nhân; giao đất cho cộng đồng dân cư đối với trường hợp giao đất, cho thuê đất không thông qua hình thức đấu giá quyền sử dụng đất ~ 20 ~ Quyết định giao đất, cho thuê đất ~ ~ Đơn xin giao đất, cho thuê đất;Trích lục bản đồ địa chính thửa đất ~
Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với hộ gia đình, cá nhân ~ 15 ~ Quyết định cho phép chuyển mục đích sử dụng đất ~ ~ Đơn xin phép chuyển mục đích sử dụng đất;Bản gốc Giấy chứng nhận ~ 3
Thu hồi đất do chấm dứt việc sử dụng đất theo pháp luật, tự nguyện trả lại đất đối với trường hợp thu hồi đất của hộ gia đình, cá nhân, cộng đồng dân cư ~ 20 ~ Quyết định thu hồi đất ~ ~ Văn bản trả lại đất;Bản gốc Giấy chứng nhận ~
Thu hồi đất ở trong khu vực bị ô nhiễm môi trường có nguy cơ đe dọa tính mạng con người; đất ở có nguy cơ sạt lở, sụt lún, bị ảnh hưởng bởi hiện tượng thiên tai khác đe dọa tính mạng con người đối với trường hợp thu hồi đất của hộ gia đình, cá nhân ~ 20 ~ Quyết định thu hồi đất ~ ~ Văn bản xác định mức độ ô nhiễm hoặc nguy cơ sạt lở;Bản gốc Giấy chứng nhận ~
Giải quyết tranh chấp đất đai thuộc thẩm quyền của Chủ tịch Ủy ban nhân dân cấp huyện ~ 45c ~ Quyết định giải quyết tranh chấp đất đai ~ ~ Đơn yêu cầu giải quyết tranh chấp đất đai;Biên bản hòa giải tại Ủy ban nhân dân cấp xã;Tài liệu làm chứng cứ*s ~
Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu ~ 30 ~ Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất ~ 100000/giấy ~ Đơn đăng ký, cấp Giấy chứng nhận;Giấy tờ về quyền sử dụng đất*c;Chứng từ thực hiện nghĩa vụ tài chính*s ~
Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất cho người đã đăng ký quyền sử dụng đất lần đầu ~ 20 ~ Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất ~ 100000/giấy ~ Đơn đề nghị cấp Giấy chứng nhận;Chứng từ thực hiện nghĩa vụ tài chính*s ~
Đính chính Giấy chứng nhận đã cấp ~ 10 ~ Giấy chứng nhận đã được đính chính ~ ~ Đơn đề nghị đính chính;Bản gốc Giấy chứng nhận đã cấp ~ 3
Thu hồi Giấy chứng nhận đã cấp không đúng quy định của pháp luật đất đai do người sử dụng đất, chủ sở hữu tài sản gắn liền với đất phát hiện ~ 30 ~ Quyết định thu hồi Giấy chứng nhận ~ ~ Đơn phản ánh việc cấp Giấy chứng nhận không đúng quy định;Bản gốc Giấy chứng nhận đã cấp ~
Gia hạn sử dụng đất ngoài khu công nghệ cao, khu kinh tế đối với hộ gia đình, cá nhân ~ 7 ~ Quyết định gia hạn sử dụng đất ~ ~ Đơn đề nghị gia hạn sử dụng đất;Bản gốc Giấy chứng nhận ~
"""

CATALOGUE["district", "BXD-HDXD"] = """
Cấp giấy phép xây dựng nhà ở riêng lẻ ~ 15c ~ Giấy phép xây dựng ~ 75000/giấy phép ~ ~
Cấp giấy phép xây dựng sửa chữa, cải tạo đối với công trình, nhà ở riêng lẻ ~ 15c ~ Giấy phép xây dựng sửa chữa, cải tạo ~ 75000/giấy phép ~ Đơn đề nghị cấp giấy phép sửa chữa, cải tạo;Giấy tờ hợp pháp về quyền sở hữu công trình*c;Ảnh chụp hiện trạng công trình ~
Cấp giấy phép di dời đối với công trình, nhà ở riêng lẻ ~ 15c ~ Giấy phép di dời công trình ~ 75000/giấy phép ~ Đơn đề nghị cấp giấy phép di dời;Bản vẽ hiện trạng và phương án di dời ~
Điều chỉnh giấy phép xây dựng đối với công trình, nhà ở riêng lẻ ~ 10c ~ Giấy phép xây dựng điều chỉnh ~ 75000/giấy phép ~ Đơn đề nghị điều chỉnh giấy phép xây dựng;Bản chính giấy phép xây dựng đã cấp;Bản vẽ thiết kế điều chỉnh ~
Gia hạn giấy phép xây dựng đối với công trình, nhà ở riêng lẻ ~ 5c ~ Giấy phép xây dựng được gia hạn ~ 15000/giấy phép ~ Đơn đề nghị gia hạn giấy phép xây dựng;Bản chính giấy phép xây dựng đã cấp ~
Cấp lại giấy phép xây dựng đối với công trình, nhà ở riêng lẻ ~ 5c ~ Giấy phép xây dựng cấp lại ~ 15000/giấy phép ~ Đơn đề nghị cấp lại giấy phép xây dựng ~
Cấp giấy phép xây dựng mới đối với công trình không theo tuyến ~ 30c ~ Giấy phép xây dựng ~ 150000/giấy phép ~ ~ 2
Cấp giấy phép xây dựng mới đối với công trình theo tuyến trong đô thị ~ 30c ~ Giấy phép xây dựng ~ 150000/giấy phép ~ ~ 2
Cấp giấy phép xây dựng mới đối với công trình tín ngưỡng, tôn giáo ~ 30c ~ Giấy phép xây dựng ~ 150000/giấy phép ~ ~ 2
Cấp giấy phép xây dựng mới đối với công trình tượng đài, tranh hoành tráng ~ 30c ~ Giấy phép xây dựng ~ 150000/giấy phép ~ ~ 2
Cấp giấy phép xây dựng mới đối với công trình quảng cáo ~ 30c ~ Giấy phép xây dựng ~ 150000/giấy phép ~ ~ 2
Thẩm định Báo cáo kinh tế - kỹ thuật đầu tư xây dựng, điều chỉnh Báo cáo kinh tế - kỹ thuật đầu tư xây dựng ~ 20 ~ Văn bản thông báo kết quả thẩm định ~ ~ Tờ trình thẩm định;Báo cáo kinh tế - kỹ thuật;Hồ sơ khảo sát xây dựng ~ 2
Thẩm định thiết kế bản vẽ thi công, dự toán xây dựng công trình ~ 20 ~ Văn bản thông báo kết quả thẩm định ~ ~ Tờ trình thẩm định;Hồ sơ thiết kế bản vẽ thi công;Dự toán xây dựng ~ 2
"""

CATALOGUE["district", "BXD-QHXD"] = """
Thẩm định nhiệm vụ, nhiệm vụ điều chỉnh quy hoạch chi tiết của dự án đầu tư xây dựng công trình theo hình thức kinh doanh thuộc thẩm quyền phê duyệt của Ủy ban nhân dân cấp huyện ~ 20 ~ Văn bản thẩm định nhiệm vụ quy hoạch ~ ~ ~
Thẩm định đồ án, đồ án điều chỉnh quy hoạch chi tiết của dự án đầu tư xây dựng công trình theo hình thức kinh doanh thuộc thẩm quyền phê duyệt của Ủy ban nhân dân cấp huyện ~ 25 ~ Văn bản thẩm định đồ án quy hoạch ~ ~ ~
Cung cấp thông tin về quy hoạch xây dựng thuộc thẩm quyền của Ủy ban nhân dân cấp huyện ~ 15 ~ Văn bản cung cấp thông tin quy hoạch ~ ~ Phiếu yêu cầu cung cấp thông tin quy hoạch;Sơ đồ vị trí khu đất ~ 3
"""

CATALOGUE["district", "BXD-HTKT"] = """
Cấp giấy phép chặt hạ, dịch chuyển cây xanh ~ 10 ~ Giấy phép chặt hạ, dịch chuyển cây xanh ~ ~ ~
"""

CATALOGUE["district", "KHDT-HKD"] = """
Đăng ký thành lập hộ kinh doanh ~ 3 ~ Giấy chứng nhận đăng ký hộ kinh doanh ~ 100000/lần ~ Giấy đề nghị đăng ký hộ kinh doanh;Giấy tờ pháp lý của cá nhân*s;Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh ~ 4
Đăng ký thay đổi nội dung đăng ký hộ kinh doanh ~ 3 ~ Giấy chứng nhận đăng ký hộ kinh doanh ~ 50000/lần ~ Thông báo thay đổi nội dung đăng ký hộ kinh doanh;Bản gốc Giấy chứng nhận đăng ký hộ kinh doanh ~ 4
Tạm ngừng hoạt động hộ kinh doanh ~ 3 ~ Giấy xác nhận về việc hộ kinh doanh đăng ký tạm ngừng kinh doanh ~ ~ Thông báo tạm ngừng hoạt động hộ kinh doanh ~
Chấm dứt hoạt động hộ kinh doanh ~ 3 ~ Thông báo về việc chấm dứt hoạt động hộ kinh doanh ~ ~ Thông báo chấm dứt hoạt động hộ kinh doanh;Bản gốc Giấy chứng nhận đăng ký hộ kinh doanh;Giấy xác nhận đã hoàn thành nghĩa vụ thuế ~
Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh ~ 3 ~ Giấy chứng nhận đăng ký hộ kinh doanh ~ 50000/lần ~ Giấy đề nghị cấp lại Giấy chứng nhận đăng ký hộ kinh doanh ~
"""

CATALOGUE["district", "KHDT-HTX"] = """
Đăng ký thành lập hợp tác xã ~ 5 ~ Giấy chứng nhận đăng ký hợp tác xã ~ 100000/lần ~ Giấy đề nghị đăng ký hợp tác xã;Điều lệ hợp tác xã;Phương án sản xuất, kinh doanh;Danh sách thành viên ~
Đăng ký thành lập chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã ~ 3 ~ Giấy chứng nhận đăng ký chi nhánh, văn phòng đại diện, địa điểm kinh doanh ~ 100000/lần ~ Thông báo lập chi nhánh, văn phòng đại diện, địa điểm kinh doanh;Quyết định của hội đồng quản trị*s ~
Đăng ký thay đổi tên, địa chỉ trụ sở chính, ngành, nghề sản xuất, kinh doanh, vốn điều lệ, người đại diện theo pháp luật; tên, địa chỉ, người đại diện chi nhánh, văn phòng đại diện của hợp tác xã ~ 3 ~ Giấy chứng nhận đăng ký hợp tác xã ~ 50000/lần ~ Giấy đề nghị đăng ký thay đổi;Nghị quyết của đại hội thành viên ~
Đăng ký khi hợp tác xã chia ~ 5 ~ Giấy chứng nhận đăng ký hợp tác xã ~ 100000/lần ~ ~
Đăng ký khi hợp tác xã tách ~ 5 ~ Giấy chứng nhận đăng ký hợp tác xã ~ 100000/lần ~ ~
Đăng ký khi hợp tác xã hợp nhất ~ 5 ~ Giấy chứng nhận đăng ký hợp tác xã ~ 100000/lần ~ ~
Đăng ký khi hợp tác xã sáp nhập ~ 5 ~ Giấy chứng nhận đăng ký hợp tác xã ~ 100000/lần ~ ~
Cấp lại Giấy chứng nhận đăng ký hợp tác xã ~ 3 ~ Giấy chứng nhận đăng ký hợp tác xã ~ 50000/lần ~ Giấy đề nghị cấp lại Giấy chứng nhận đăng ký hợp tác xã ~
Giải thể tự nguyện hợp tác xã ~ 5 ~ Giấy xác nhận về việc giải thể hợp tác xã ~ ~ Thông báo giải thể tự nguyện;Nghị quyết giải thể của đại hội thành viên;Bản gốc Giấy chứng nhận đăng ký hợp tác xã ~ 2
Tạm ngừng hoạt động của hợp tác xã, chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã ~ 3 ~ Giấy xác nhận về việc tạm ngừng hoạt động ~ ~ Thông báo tạm ngừng hoạt động;Nghị quyết của đại hội thành viên ~
Chấm dứt hoạt động của chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã ~ 3 ~ Thông báo về việc chấm dứt hoạt động ~ ~ Thông báo chấm dứt hoạt động;Bản gốc Giấy chứng nhận đăng ký chi nhánh, văn phòng đại diện, địa điểm kinh doanh ~
"""

CATALOGUE["district", "LDTBXH-BTXH"] = """
Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hàng tháng ~ 20 ~ Quyết định trợ cấp xã hội hàng tháng ~ ~ ~ 3
Chi trả trợ cấp xã hội hàng tháng khi đối tượng thay đổi nơi cư trú giữa các quận, huyện, thị xã, thành phố thuộc tỉnh và ngoài tỉnh, thành phố trực thuộc trung ương ~ 10 ~ Quyết định trợ cấp xã hội hàng tháng tại nơi cư trú mới ~ ~ Văn bản đề nghị chi trả;Hồ sơ hưởng trợ cấp xã hội của đối tượng ~
Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội ~ 5 ~ Quyết định hỗ trợ chi phí mai táng ~ ~ Tờ khai đề nghị hỗ trợ chi phí mai táng;Giấy chứng tử*s ~ 3
Thành lập cơ sở trợ giúp xã hội công lập thuộc Ủy ban nhân dân cấp huyện ~ 20 ~ Quyết định thành lập cơ sở trợ giúp xã hội ~ ~ Tờ trình đề nghị thành lập;Đề án thành lập cơ sở trợ giúp xã hội ~
Tổ chức lại, giải thể cơ sở trợ giúp xã hội công lập thuộc Ủy ban nhân dân cấp huyện ~ 20 ~ Quyết định tổ chức lại, giải thể cơ sở trợ giúp xã hội ~ ~ Tờ trình đề nghị tổ chức lại, giải thể;Đề án tổ chức lại hoặc phương án giải thể ~
Đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền thành lập của Phòng Lao động - Thương binh và Xã hội ~ 5 ~ Giấy chứng nhận đăng ký thành lập cơ sở trợ giúp xã hội ~ ~ Tờ khai đăng ký thành lập;Dự thảo quy chế hoạt động;Giấy tờ chứng minh quyền sử dụng đất, cơ sở vật chất*s ~
Đăng ký thay đổi nội dung giấy chứng nhận đăng ký thành lập đối với cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền thành lập của Phòng Lao động - Thương binh và Xã hội ~ 5 ~ Giấy chứng nhận đăng ký thành lập đã điều chỉnh ~ ~ Tờ khai đăng ký thay đổi;Giấy chứng nhận đăng ký thành lập đã cấp ~
Giải thể cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền thành lập của Phòng Lao động - Thương binh và Xã hội ~ 15 ~ Quyết định giải thể cơ sở trợ giúp xã hội ~ ~ Văn bản đề nghị giải thể;Phương án giải quyết đối tượng ~
Cấp giấy phép hoạt động đối với cơ sở trợ giúp xã hội có giấy chứng nhận đăng ký thành lập do Phòng Lao động - Thương binh và Xã hội cấp ~ 10 ~ Giấy phép hoạt động cơ sở trợ giúp xã hội ~ ~ Văn bản đề nghị cấp giấy phép hoạt động;Giấy chứng nhận đăng ký thành lập*s;Danh sách nhân viên ~
Cấp lại, điều chỉnh giấy phép hoạt động đối với cơ sở trợ giúp xã hội có giấy phép hoạt động do Phòng Lao động - Thương binh và Xã hội cấp ~ 10 ~ Giấy phép hoạt động cơ sở trợ giúp xã hội ~ ~ Văn bản đề nghị cấp lại, điều chỉnh;Giấy phép hoạt động đã cấp ~
"""

CATALOGUE["district", "LDTBXH-TE"] = """
Chuyển trẻ em đang được chăm sóc thay thế tại cơ sở trợ giúp xã hội đến cá nhân, gia đình nhận chăm sóc thay thế ~ 10 ~ Quyết định chuyển trẻ em đến cá nhân, gia đình nhận chăm sóc thay thế ~ ~ Văn bản đề nghị của cơ sở trợ giúp xã hội;Hồ sơ của trẻ em;Đơn đăng ký nhận chăm sóc thay thế ~
"""

CATALOGUE["district", "LDTBXH-NCC"] = """
Hỗ trợ người có công với cách mạng về nhà ở ~ 30 ~ Quyết định hỗ trợ về nhà ở ~ ~ Đơn đề nghị hỗ trợ nhà ở;Giấy tờ chứng minh là người có công*s;Biên bản xác nhận hiện trạng nhà ở ~
Giải quyết chế độ ưu đãi trong giáo dục đào tạo đối với người có công với cách mạng và con của họ ~ 10 ~ Quyết định trợ cấp ưu đãi giáo dục đào tạo ~ ~ Bản khai đề nghị hưởng ưu đãi giáo dục;Giấy xác nhận của cơ sở giáo dục;Giấy tờ chứng minh là người có công hoặc con của người có công*s ~
"""

CATALOGUE["district", "LDTBXH-LDNN"] = """
Hỗ trợ cho người lao động thuộc đối tượng là người dân tộc thiểu số, người thuộc hộ nghèo, hộ cận nghèo, thân nhân người có công với cách mạng đi làm việc ở nước ngoài theo hợp đồng ~ 15 ~ Quyết định hỗ trợ ~ ~ ~
Hỗ trợ cho người lao động thuộc đối tượng là người bị thu hồi đất nông nghiệp đi làm việc ở nước ngoài theo hợp đồng ~ 15 ~ Quyết định hỗ trợ ~ ~ Đơn đề nghị hỗ trợ;Quyết định thu hồi đất nông nghiệp*s;Hợp đồng đưa người lao động đi làm việc ở nước ngoài*s ~
"""

CATALOGUE["district", "GDDT"] = """
Thành lập trường mẫu giáo, trường mầm non, nhà trẻ công lập hoặc cho phép thành lập trường mẫu giáo, trường mầm non, nhà trẻ dân lập, tư thục ~ 20 ~ Quyết định thành lập hoặc cho phép thành lập ~ ~ ~ 2
Cho phép trường mẫu giáo, trường mầm non, nhà trẻ hoạt động giáo dục ~ 20 ~ Quyết định cho phép hoạt động giáo dục ~ ~ ~
Cho phép trường mẫu giáo, trường mầm non, nhà trẻ hoạt động giáo dục trở lại ~ 10 ~ Quyết định cho phép hoạt động giáo dục trở lại ~ ~ ~
Sáp nhập, chia, tách trường mẫu giáo, trường mầm non, nhà trẻ ~ 20 ~ Quyết định sáp nhập, chia, tách ~ ~ ~ 2
Giải thể trường mẫu giáo, trường mầm non, nhà trẻ (theo đề nghị của cá nhân, tổ chức thành lập trường) ~ 20 ~ Quyết định giải thể ~ ~ Tờ trình đề nghị giải thể;Phương án giải thể ~ 2
Thành lập trường tiểu học công lập, cho phép thành lập trường tiểu học tư thục ~ 20 ~ Quyết định thành lập hoặc cho phép thành lập ~ ~ ~ 2
Cho phép trường tiểu học hoạt động giáo dục ~ 20 ~ Quyết định cho phép hoạt động giáo dục ~ ~ ~
Cho phép trường tiểu học hoạt động giáo dục trở lại ~ 10 ~ Quyết định cho phép hoạt động giáo dục trở lại ~ ~ ~
Sáp nhập, chia, tách trường tiểu học ~ 20 ~ Quyết định sáp nhập, chia, tách ~ ~ ~ 2
Giải thể trường tiểu học (theo đề nghị của cá nhân, tổ chức đề nghị thành lập trường tiểu học) ~ 20 ~ Quyết định giải thể ~ ~ Tờ trình đề nghị giải thể;Phương án giải thể ~ 2
Thành lập trường trung học cơ sở công lập hoặc cho phép thành lập trường trung học cơ sở tư thục ~ 20 ~ Quyết định thành lập hoặc cho phép thành lập ~ ~ ~ 2
Cho phép trường trung học cơ sở hoạt động giáo dục ~ 20 ~ Quyết định cho phép hoạt động giáo dục ~ ~ ~
Cho phép trường trung học cơ sở hoạt động trở lại ~ 10 ~ Quyết định cho phép hoạt động giáo dục trở lại ~ ~ ~
Sáp nhập, chia, tách trường trung học cơ sở ~ 20 ~ Quyết định sáp nhập, chia, tách ~ ~ ~ 2
Giải thể trường trung học cơ sở (theo đề nghị của tổ chức, cá nhân đề nghị thành lập trường) ~ 20 ~ Quyết định giải thể ~ ~ Tờ trình đề nghị giải thể;Phương án giải thể ~ 2
Thành lập trường phổ thông dân tộc bán trú ~ 20 ~ Quyết định thành lập trường phổ thông dân tộc bán trú ~ ~ ~ 2
Cho phép trường phổ thông dân tộc bán trú hoạt động giáo dục ~ 20 ~ Quyết định cho phép hoạt động giáo dục ~ ~ ~
Chuyển đổi trường phổ thông dân tộc bán trú ~ 20 ~ Quyết định chuyển đổi trường phổ thông dân tộc bán trú ~ ~ ~ 2
Thành lập trung tâm học tập cộng đồng ~ 15 ~ Quyết định thành lập trung tâm học tập cộng đồng ~ ~ ~ 2
Chuyển trường đối với học sinh trung học cơ sở ~ 3 ~ Giấy giới thiệu chuyển trường ~ ~ Đơn xin chuyển trường;Học bạ;Giấy giới thiệu của trường nơi đi ~ 4
Cấp phép tổ chức hoạt động dạy thêm, học thêm đối với cấp trung học cơ sở ~ 10 ~ Giấy phép tổ chức hoạt động dạy thêm, học thêm ~ ~ Đơn đề nghị cấp giấy phép;Bản kế hoạch tổ chức dạy thêm, học thêm;Danh sách người dạy thêm ~
Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú đang học tại các trường tiểu học, trung học cơ sở ở xã, thôn đặc biệt khó khăn ~ 10 ~ Quyết định phê duyệt danh sách học sinh được hưởng chính sách ~ ~ Đơn đề nghị hỗ trợ;Danh sách học sinh do nhà trường lập ~
Hỗ trợ ăn trưa đối với trẻ em mẫu giáo ~ 10 ~ Quyết định phê duyệt danh sách trẻ em được hỗ trợ ăn trưa ~ ~ Đơn đề nghị hỗ trợ ăn trưa;Giấy tờ chứng minh thuộc đối tượng*s ~
Công nhận xã đạt chuẩn phổ cập giáo dục, xóa mù chữ ~ 20 ~ Quyết định công nhận xã đạt chuẩn phổ cập giáo dục, xóa mù chữ ~ ~ Tờ trình đề nghị công nhận;Báo cáo quá trình thực hiện và kết quả phổ cập giáo dục ~ 2
"""

CATALOGUE["district", "YT-DS"] = """
Xét hưởng chính sách hỗ trợ cho đối tượng sinh con đúng chính sách dân số ~ 10 ~ Quyết định hỗ trợ ~ ~ ~
"""

CATALOGUE["district", "YT-ATTP"] = """
Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống thuộc thẩm quyền của Ủy ban nhân dân cấp huyện ~ 15 ~ Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm ~ 700000/lần thẩm định ~ ~
Cấp lại Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống thuộc thẩm quyền của Ủy ban nhân dân cấp huyện ~ 15 ~ Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm ~ 700000/lần thẩm định ~ Đơn đề nghị cấp lại Giấy chứng nhận;Giấy chứng nhận đã cấp*s ~
"""

CATALOGUE["district", "VHTTDL-VH"] = """
Xét tặng danh hiệu Thôn văn hóa, Làng văn hóa, Ấp văn hóa, Bản văn hóa, Tổ dân phố văn hóa ~ 10 ~ Quyết định công nhận danh hiệu ~ ~ ~
Xét tặng Giấy khen Thôn văn hóa, Làng văn hóa, Ấp văn hóa, Bản văn hóa, Tổ dân phố văn hóa ~ 10 ~ Quyết định tặng Giấy khen ~ ~ ~
Thủ tục công nhận lần đầu Xã đạt chuẩn văn hóa nông thôn mới ~ 20 ~ Quyết định công nhận Xã đạt chuẩn văn hóa nông thôn mới ~ ~ Báo cáo thành tích xây dựng Xã đạt chuẩn văn hóa nông thôn mới;Văn bản đề nghị của Ủy ban nhân dân cấp xã ~ 2
Thủ tục công nhận lại Xã đạt chuẩn văn hóa nông thôn mới ~ 20 ~ Quyết định công nhận lại Xã đạt chuẩn văn hóa nông thôn mới ~ ~ Báo cáo thành tích 5 năm;Văn bản đề nghị của Ủy ban nhân dân cấp xã ~ 2
Thủ tục công nhận lần đầu Thị trấn đạt chuẩn văn minh đô thị ~ 20 ~ Quyết định công nhận Thị trấn đạt chuẩn văn minh đô thị ~ ~ Báo cáo thành tích;Văn bản đề nghị của Ủy ban nhân dân thị trấn ~ 2
Thủ tục công nhận lại Thị trấn đạt chuẩn văn minh đô thị ~ 20 ~ Quyết định công nhận lại Thị trấn đạt chuẩn văn minh đô thị ~ ~ Báo cáo thành tích 5 năm;Văn bản đề nghị của Ủy ban nhân dân thị trấn ~ 2
Thủ tục công nhận lần đầu cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa ~ 15 ~ Quyết định công nhận đạt chuẩn văn hóa ~ ~ ~ 2
Thủ tục công nhận lại cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa ~ 15 ~ Quyết định công nhận lại đạt chuẩn văn hóa ~ ~ ~ 2
Thủ tục đăng ký tổ chức lễ hội cấp huyện ~ 15 ~ Văn bản chấp thuận tổ chức lễ hội ~ ~ Văn bản đăng ký tổ chức lễ hội;Kế hoạch tổ chức lễ hội ~
Thủ tục cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke (do cơ quan quản lý nhà nước về văn hóa cấp huyện cấp) ~ 5 ~ Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke ~ 2000000/giấy phép ~ Đơn đề nghị cấp giấy phép;Giấy chứng nhận đăng ký kinh doanh*s;Bản vẽ mặt bằng phòng hát ~
Thủ tục cấp Giấy phép điều chỉnh Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke (do cơ quan quản lý nhà nước về văn hóa cấp huyện cấp) ~ 5 ~ Giấy phép điều chỉnh ~ 1000000/giấy phép ~ Đơn đề nghị điều chỉnh giấy phép;Giấy phép đã cấp*s ~
"""

CATALOGUE["district", "VHTTDL-GD"] = """
Cấp Giấy chứng nhận đăng ký hoạt động của cơ sở tư vấn về phòng, chống bạo lực gia đình ~ 20 ~ Giấy chứng nhận đăng ký hoạt động ~ ~ ~
Cấp lại Giấy chứng nhận đăng ký hoạt động của cơ sở tư vấn về phòng, chống bạo lực gia đình ~ 15 ~ Giấy chứng nhận đăng ký hoạt động ~ ~ Đơn đề nghị cấp lại;Giấy chứng nhận đã cấp*s ~
Đổi Giấy chứng nhận đăng ký hoạt động của cơ sở tư vấn về phòng, chống bạo lực gia đình ~ 10 ~ Giấy chứng nhận đăng ký hoạt động ~ ~ Đơn đề nghị đổi;Giấy chứng nhận đã cấp ~
"""

CATALOGUE["district", "VHTTDL-TV"] = """
Thông báo thành lập đối với thư viện chuyên ngành ở cấp huyện, thư viện đại học là thư viện ngoài công lập, thư viện tư nhân có phục vụ cộng đồng ~ 15 ~ Văn bản xác nhận thông báo thành lập thư viện ~ ~ ~
Thông báo sáp nhập, hợp nhất, chia, tách thư viện đối với thư viện chuyên ngành ở cấp huyện, thư viện tư nhân có phục vụ cộng đồng ~ 15 ~ Văn bản xác nhận thông báo ~ ~ ~
Thông báo chấm dứt hoạt động thư viện chuyên ngành ở cấp huyện, thư viện tư nhân có phục vụ cộng đồng ~ 15 ~ Văn bản xác nhận thông báo chấm dứt hoạt động ~ ~ Văn bản thông báo chấm dứt hoạt động ~
"""

CATALOGUE["district", "TTTT-PTTH"] = """
Cấp giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng ~ 10 ~ Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng ~ 200000/giấy ~ ~
Sửa đổi, bổ sung giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng ~ 10 ~ Giấy chứng nhận đã sửa đổi, bổ sung ~ ~ Đơn đề nghị sửa đổi, bổ sung;Giấy chứng nhận đã cấp*s ~
Gia hạn giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng ~ 5 ~ Giấy chứng nhận được gia hạn ~ ~ Đơn đề nghị gia hạn ~
Cấp lại giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng ~ 5 ~ Giấy chứng nhận cấp lại ~ ~ Đơn đề nghị cấp lại ~
"""

CATALOGUE["district", "TTTT-XB"] = """
Khai báo hoạt động cơ sở dịch vụ photocopy ~ 5 ~ Văn bản xác nhận khai báo hoạt động ~ ~ Tờ khai hoạt động cơ sở dịch vụ photocopy ~ 4
Thay đổi thông tin khai báo hoạt động cơ sở dịch vụ photocopy ~ 5 ~ Văn bản xác nhận thay đổi thông tin ~ ~ Tờ khai thay đổi thông tin ~ 4
"""

CATALOGUE["district", "NV-TG"] = """
Thủ tục đăng ký người được bổ nhiệm, bầu cử, suy cử làm chức việc của tổ chức được cấp chứng nhận đăng ký hoạt động tôn giáo có địa bàn hoạt động ở một huyện ~ 20c ~ Văn bản chấp thuận ~ ~ ~
Thủ tục thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở nhiều xã thuộc một huyện ~ 5 ~ Văn bản tiếp nhận thông báo ~ ~ ~
Thủ tục thông báo danh mục hoạt động tôn giáo bổ sung đối với tổ chức có địa bàn hoạt động tôn giáo ở nhiều xã thuộc một huyện ~ 5 ~ Văn bản tiếp nhận thông báo ~ ~ ~
Thủ tục đề nghị tổ chức đại hội của tổ chức tôn giáo cơ sở, tổ chức được cấp chứng nhận đăng ký hoạt động tôn giáo có địa bàn hoạt động ở một huyện ~ 15c ~ Văn bản chấp thuận tổ chức đại hội ~ ~ ~
Thủ tục đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký có quy mô tổ chức ở một huyện ~ 15c ~ Văn bản chấp thuận tổ chức cuộc lễ ~ ~ ~
Thủ tục đề nghị giảng đạo ngoài địa bàn phụ trách, cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký có quy mô tổ chức ở một huyện ~ 15c ~ Văn bản chấp thuận giảng đạo ~ ~ ~
Thủ tục thông báo tổ chức quyên góp ngoài địa bàn một xã nhưng trong địa bàn một huyện của cơ sở tín ngưỡng, tổ chức tôn giáo, tổ chức tôn giáo trực thuộc ~ 5 ~ Văn bản tiếp nhận thông báo ~ ~ ~
"""

CATALOGUE["district", "NV-TDKT"] = """
Thủ tục tặng danh hiệu Chiến sĩ thi đua cơ sở ~ 20 ~ Quyết định tặng danh hiệu Chiến sĩ thi đua cơ sở ~ ~ ~
Thủ tục tặng danh hiệu Tập thể lao động tiên tiến ~ 20 ~ Quyết định tặng danh hiệu Tập thể lao động tiên tiến ~ ~ ~
Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích thực hiện nhiệm vụ chính trị ~ 20 ~ Quyết định tặng Giấy khen ~ ~ ~
Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích thi đua theo đợt hoặc chuyên đề ~ 20 ~ Quyết định tặng Giấy khen ~ ~ ~
Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích đột xuất ~ 5 ~ Quyết định tặng Giấy khen ~ ~ Tờ trình đề nghị khen thưởng;Báo cáo tóm tắt thành tích ~
Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện cho gia đình ~ 20 ~ Quyết định tặng Giấy khen ~ ~ Tờ trình đề nghị khen thưởng;Báo cáo thành tích của gia đình ~
"""

CATALOGUE["district", "NV-HOI"] = """
Thủ tục công nhận ban vận động thành lập hội ~ 30c ~ Quyết định công nhận ban vận động thành lập hội ~ ~ ~
Thủ tục thành lập hội ~ 30c ~ Quyết định cho phép thành lập hội ~ ~ ~
Thủ tục phê duyệt điều lệ hội ~ 30c ~ Quyết định phê duyệt điều lệ hội ~ ~ ~
Thủ tục chia, tách; sáp nhập; hợp nhất hội ~ 30c ~ Quyết định chia, tách, sáp nhập, hợp nhất hội ~ ~ ~
Thủ tục đổi tên hội ~ 30c ~ Quyết định cho phép đổi tên hội ~ ~ ~
Thủ tục hội tự giải thể ~ 30c ~ Quyết định giải thể hội ~ ~ Đơn đề nghị giải thể hội;Nghị quyết giải thể hội;Bản kê tài sản, tài chính ~
Thủ tục báo cáo tổ chức đại hội nhiệm kỳ, đại hội bất thường của hội ~ 15c ~ Văn bản trả lời của cơ quan nhà nước ~ ~ ~
"""

CATALOGUE["district", "NV-CCVC"] = """
Thủ tục thi tuyển viên chức ~ 30c ~ Quyết định tuyển dụng viên chức ~ 400000/thí sinh ~ ~
Thủ tục xét tuyển viên chức ~ 30c ~ Quyết định tuyển dụng viên chức ~ 400000/thí sinh ~ ~
"""

CATALOGUE["district", "NNPTNT-LN"] = """
Phê duyệt, điều chỉnh, thiết kế dự toán công trình lâm sinh (đối với công trình lâm sinh thuộc dự án do Ủy ban nhân dân cấp huyện quyết định đầu tư) ~ 20 ~ Quyết định phê duyệt thiết kế, dự toán công trình lâm sinh ~ ~ ~
Giao rừng, cho thuê rừng cho hộ gia đình, cá nhân; giao rừng cho cộng đồng dân cư ~ 30 ~ Quyết định giao rừng, cho thuê rừng ~ ~ Đơn đề nghị giao rừng, thuê rừng;Phương án quản lý rừng bền vững ~
Thu hồi rừng của hộ gia đình, cá nhân, cộng đồng dân cư được Nhà nước giao rừng không thu tiền sử dụng rừng ~ 20 ~ Quyết định thu hồi rừng ~ ~ Văn bản trả lại rừng;Quyết định giao rừng đã cấp*s ~
"""

CATALOGUE["district", "NNPTNT-PCTT"] = """
Thẩm định, phê duyệt phương án ứng phó thiên tai cho công trình, vùng hạ du đập trong quá trình thi công thuộc thẩm quyền của Ủy ban nhân dân cấp huyện ~ 15 ~ Quyết định phê duyệt phương án ứng phó thiên tai ~ ~ ~
Thẩm định, phê duyệt phương án ứng phó với tình huống khẩn cấp thuộc thẩm quyền của Ủy ban nhân dân cấp huyện ~ 15 ~ Quyết định phê duyệt phương án ứng phó ~ ~ ~
"""

CATALOGUE["district", "NNPTNT-NN"] = """
Hỗ trợ dự án liên kết (cấp huyện) ~ 20 ~ Quyết định phê duyệt dự án liên kết ~ ~ Văn bản đề nghị hỗ trợ;Dự án liên kết;Hợp đồng liên kết*s ~ 2
Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai, dịch bệnh ~ 10 ~ Quyết định hỗ trợ khôi phục sản xuất ~ ~ Đơn đề nghị hỗ trợ;Biên bản xác nhận thiệt hại ~ 2
"""

CATALOGUE["district", "TNMT-TNN"] = """
Lấy ý kiến Ủy ban nhân dân cấp xã, cấp huyện đối với các dự án đầu tư có chuyển nước từ nguồn nước nội tỉnh ~ 30c ~ Văn bản góp ý kiến ~ ~ ~
Đăng ký khai thác nước dưới đất ~ 10 ~ Tờ khai đăng ký khai thác nước dưới đất được xác nhận ~ ~ Tờ khai đăng ký khai thác nước dưới đất ~ 3
"""

CATALOGUE["district", "TNMT-MT"] = """
Xác nhận đăng ký kế hoạch bảo vệ môi trường ~ 10 ~ Giấy xác nhận đăng ký kế hoạch bảo vệ môi trường ~ ~ ~ 3
Xác nhận đề án bảo vệ môi trường đơn giản ~ 10 ~ Giấy xác nhận đề án bảo vệ môi trường đơn giản ~ ~ Văn bản đề nghị xác nhận;Đề án bảo vệ môi trường đơn giản ~
Kiểm tra, xác nhận hoàn thành công trình bảo vệ môi trường theo kế hoạch bảo vệ môi trường ~ 15 ~ Giấy xác nhận hoàn thành công trình bảo vệ môi trường ~ ~ Văn bản đề nghị kiểm tra, xác nhận;Báo cáo kết quả thực hiện công trình bảo vệ môi trường ~
"""

CATALOGUE["district", "GTVT-DB"] = """
Cấp giấy phép thi công xây dựng công trình đường bộ trong phạm vi đất dành cho đường bộ đối với đường huyện, đường xã ~ 7 ~ Giấy phép thi công ~ ~ ~
Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ của đường huyện, đường xã ~ 7 ~ Văn bản chấp thuận xây dựng ~ ~ ~
Gia hạn chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ của đường huyện, đường xã ~ 3 ~ Văn bản gia hạn chấp thuận ~ ~ Đơn đề nghị gia hạn;Văn bản chấp thuận đã cấp*s ~
Cấp giấy phép thi công công trình đường bộ trên đường huyện, đường xã đang khai thác ~ 7 ~ Giấy phép thi công ~ ~ ~
"""

CATALOGUE["district", "GTVT-DTND"] = """
Thỏa thuận thông số kỹ thuật xây dựng bến khách ngang sông, bến thủy nội địa phục vụ thi công công trình chính ~ 5 ~ Văn bản thỏa thuận thông số kỹ thuật ~ ~ Đơn đề nghị thỏa thuận;Bình đồ khu vực xây dựng bến ~ 2
Công bố hoạt động bến khách ngang sông, bến thủy nội địa phục vụ thi công công trình chính ~ 5 ~ Quyết định công bố hoạt động bến ~ ~ Đơn đề nghị công bố;Bản vẽ hoàn công;Biên bản nghiệm thu công trình ~ 2
Công bố lại hoạt động bến khách ngang sông, bến thủy nội địa phục vụ thi công công trình chính ~ 5 ~ Quyết định công bố lại hoạt động bến ~ ~ Đơn đề nghị công bố lại;Quyết định công bố đã cấp*s ~ 2
"""

CATALOGUE["district", "BCT-LTHH"] = """
Cấp Giấy phép bán lẻ sản phẩm thuốc lá ~ 15 ~ Giấy phép bán lẻ sản phẩm thuốc lá ~ 200000/lần thẩm định ~ ~
Cấp sửa đổi, bổ sung Giấy phép bán lẻ sản phẩm thuốc lá ~ 15 ~ Giấy phép bán lẻ sản phẩm thuốc lá sửa đổi, bổ sung ~ 200000/lần thẩm định ~ Đơn đề nghị sửa đổi, bổ sung;Giấy phép đã cấp*s ~
Cấp lại Giấy phép bán lẻ sản phẩm thuốc lá ~ 15 ~ Giấy phép bán lẻ sản phẩm thuốc lá cấp lại ~ 200000/lần thẩm định ~ Đơn đề nghị cấp lại;Giấy phép đã cấp*s ~
Cấp Giấy phép bán lẻ rượu ~ 10 ~ Giấy phép bán lẻ rượu ~ 200000/lần thẩm định ~ ~
Cấp sửa đổi, bổ sung Giấy phép bán lẻ rượu ~ 10 ~ Giấy phép bán lẻ rượu sửa đổi, bổ sung ~ 200000/lần thẩm định ~ Đơn đề nghị sửa đổi, bổ sung;Giấy phép đã cấp*s ~
Cấp lại Giấy phép bán lẻ rượu ~ 10 ~ Giấy phép bán lẻ rượu cấp lại ~ 200000/lần thẩm định ~ Đơn đề nghị cấp lại;Giấy phép đã cấp*s ~
Cấp Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh ~ 10 ~ Giấy phép sản xuất rượu thủ công ~ 200000/lần thẩm định ~ Đơn đề nghị cấp giấy phép;Giấy chứng nhận đăng ký kinh doanh*s;Bản công bố sản phẩm rượu*s ~
Cấp sửa đổi, bổ sung Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh ~ 10 ~ Giấy phép sản xuất rượu thủ công sửa đổi, bổ sung ~ 200000/lần thẩm định ~ Đơn đề nghị sửa đổi, bổ sung;Giấy phép đã cấp*s ~
Cấp lại Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh ~ 10 ~ Giấy phép sản xuất rượu thủ công cấp lại ~ 200000/lần thẩm định ~ Đơn đề nghị cấp lại;Giấy phép đã cấp*s ~
Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ LPG chai ~ 15 ~ Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ LPG chai ~ 400000/lần thẩm định ~ Đơn đề nghị cấp Giấy chứng nhận;Giấy chứng nhận đăng ký kinh doanh*s;Tài liệu chứng minh đáp ứng điều kiện phòng cháy, chữa cháy*s ~
Cấp lại Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ LPG chai ~ 7 ~ Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ LPG chai cấp lại ~ 400000/lần thẩm định ~ Đơn đề nghị cấp lại;Giấy chứng nhận đã cấp*s ~
Cấp điều chỉnh Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ LPG chai ~ 7 ~ Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ LPG chai điều chỉnh ~ 400000/lần thẩm định ~ Đơn đề nghị điều chỉnh;Giấy chứng nhận đã cấp*s ~
"""

CATALOGUE["district", "TTCP-KN"] = """
Giải quyết khiếu nại lần đầu tại cấp huyện ~ 30c ~ Quyết định giải quyết khiếu nại lần đầu ~ ~ ~
Giải quyết khiếu nại lần hai tại cấp huyện ~ 45c ~ Quyết định giải quyết khiếu nại lần hai ~ ~ Đơn khiếu nại lần hai;Quyết định giải quyết khiếu nại lần đầu*s;Tài liệu, chứng cứ kèm theo*s ~
"""

CATALOGUE["district", "TTCP-TC"] = """
Giải quyết tố cáo tại cấp huyện ~ 30c ~ Kết luận nội dung tố cáo ~ ~ ~
"""

CATALOGUE["district", "TTCP-TCD"] = """
Tiếp công dân tại cấp huyện ~ 1 ~ Văn bản trả lời hoặc hướng dẫn công dân ~ ~ Đơn hoặc văn bản ghi nội dung trình bày;Giấy tờ tùy thân*s ~
"""

CATALOGUE["district", "TTCP-XLD"] = """
Xử lý đơn tại cấp huyện ~ 10 ~ Phiếu đề xuất xử lý đơn hoặc văn bản hướng dẫn, chuyển đơn ~ ~ Đơn khiếu nại, tố cáo, kiến nghị, phản ánh ~
"""

CATALOGUE["district", "TTCP-PCTN"] = """
Thủ tục tiếp nhận yêu cầu giải trình ~ 5 ~ Thông báo tiếp nhận yêu cầu giải trình ~ ~ ~
Thủ tục thực hiện việc giải trình ~ 15 ~ Văn bản giải trình ~ ~ Văn bản yêu cầu giải trình;Thông báo tiếp nhận yêu cầu giải trình ~
"""

# ------------------------------------------------------------------ province level
# Province procedures received at the district desk: land registration carried out by the
# Krông Pa branch of the provincial Land Registration Office, secured-transaction registration,
# and merit/social-protection files that the district forwards to the provincial department.

CATALOGUE["province", "TNMT-DD"] = """
Đăng ký quyền sử dụng đất lần đầu ~ 30 ~ Sổ địa chính được cập nhật và thông báo kết quả đăng ký ~ ~ Đơn đăng ký đất đai, tài sản gắn liền với đất;Giấy tờ về quyền sử dụng đất*c ~
Đăng ký đất đai lần đầu đối với trường hợp được Nhà nước giao đất để quản lý ~ 30 ~ Sổ địa chính được cập nhật ~ ~ Đơn đăng ký đất đai;Văn bản giao đất để quản lý*s;Sơ đồ hoặc trích đo địa chính thửa đất ~
Đăng ký bổ sung đối với tài sản gắn liền với đất của người sử dụng đất đã được cấp Giấy chứng nhận ~ 15 ~ Giấy chứng nhận được xác nhận bổ sung tài sản ~ 50000/giấy ~ Đơn đăng ký bổ sung tài sản;Bản gốc Giấy chứng nhận;Giấy tờ về quyền sở hữu tài sản*c ~
Đăng ký và cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu đối với tài sản gắn liền với đất mà chủ sở hữu không đồng thời là người sử dụng đất ~ 30 ~ Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất ~ 100000/giấy ~ Đơn đăng ký, cấp Giấy chứng nhận;Giấy tờ về quyền sở hữu tài sản*c;Hợp đồng thuê đất hoặc văn bản chấp thuận của người sử dụng đất*c ~
Đăng ký biến động về sử dụng đất, tài sản gắn liền với đất do thay đổi thông tin về người được cấp Giấy chứng nhận (đổi tên hoặc giấy tờ pháp nhân, giấy tờ nhân thân, địa chỉ); giảm diện tích thửa đất do sạt lở tự nhiên; thay đổi về hạn chế quyền sử dụng đất; thay đổi về nghĩa vụ tài chính; thay đổi về tài sản gắn liền với đất so với nội dung đã đăng ký, cấp Giấy chứng nhận ~ 10 ~ Giấy chứng nhận được xác nhận thay đổi ~ 30000/lần ~ ~ 3
Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các trường hợp chuyển đổi, chuyển nhượng, cho thuê, cho thuê lại, thừa kế, tặng cho, góp vốn bằng quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất; chuyển quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất của vợ hoặc chồng thành của chung vợ và chồng ~ 10 ~ Giấy chứng nhận được xác nhận biến động hoặc Giấy chứng nhận mới ~ 30000/lần ~ Đơn đăng ký biến động đất đai, tài sản gắn liền với đất;Hợp đồng, văn bản về chuyển quyền đã công chứng, chứng thực;Bản gốc Giấy chứng nhận đã cấp ~ 3
Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các trường hợp giải quyết tranh chấp, khiếu nại, tố cáo về đất đai; xử lý nợ hợp đồng thế chấp, góp vốn; kê biên, đấu giá quyền sử dụng đất, tài sản gắn liền với đất để thi hành án; thỏa thuận hợp nhất hoặc phân chia quyền sử dụng đất, tài sản gắn liền với đất của hộ gia đình, của vợ và chồng, của nhóm người sử dụng đất ~ 10 ~ Giấy chứng nhận được xác nhận biến động hoặc Giấy chứng nhận mới ~ 30000/lần ~ Đơn đăng ký biến động đất đai, tài sản gắn liền với đất;Văn bản làm căn cứ biến động*c;Bản gốc Giấy chứng nhận đã cấp ~
Đăng ký biến động đối với trường hợp chuyển từ hình thức thuê đất trả tiền hàng năm sang thuê đất trả tiền một lần cho cả thời gian thuê hoặc từ giao đất không thu tiền sử dụng đất sang hình thức thuê đất hoặc từ thuê đất sang giao đất có thu tiền sử dụng đất ~ 30 ~ Giấy chứng nhận được xác nhận thay đổi hoặc Giấy chứng nhận mới ~ 30000/lần ~ ~
Đăng ký chuyển mục đích sử dụng đất không phải xin phép cơ quan nhà nước có thẩm quyền ~ 10 ~ Giấy chứng nhận được xác nhận thay đổi mục đích sử dụng đất ~ 30000/lần ~ Tờ khai đăng ký chuyển mục đích sử dụng đất;Bản gốc Giấy chứng nhận ~ 3
Tách thửa hoặc hợp thửa đất ~ 15 ~ Giấy chứng nhận quyền sử dụng đất cho thửa đất mới ~ 100000/giấy ~ Đơn đề nghị tách thửa hoặc hợp thửa;Bản gốc Giấy chứng nhận đã cấp ~ 3
Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất ~ 7 ~ Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất ~ 50000/giấy ~ Đơn đề nghị cấp đổi Giấy chứng nhận;Bản gốc Giấy chứng nhận đã cấp ~ 3
Cấp lại Giấy chứng nhận hoặc cấp lại Trang bổ sung của Giấy chứng nhận do bị mất ~ 10 ~ Giấy chứng nhận cấp lại ~ 50000/giấy ~ Đơn đề nghị cấp lại Giấy chứng nhận;Giấy xác nhận của Ủy ban nhân dân cấp xã về việc niêm yết thông báo mất giấy ~
Đăng ký xác lập quyền sử dụng hạn chế thửa đất liền kề sau khi được cấp Giấy chứng nhận lần đầu và đăng ký thay đổi, chấm dứt quyền sử dụng hạn chế thửa đất liền kề ~ 10 ~ Giấy chứng nhận được xác nhận quyền sử dụng hạn chế ~ 30000/lần ~ Đơn đăng ký biến động;Hợp đồng hoặc văn bản thỏa thuận về quyền sử dụng hạn chế;Bản gốc Giấy chứng nhận ~
Xóa đăng ký cho thuê, cho thuê lại, góp vốn bằng quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất ~ 3 ~ Giấy chứng nhận được xác nhận xóa đăng ký ~ ~ Văn bản thanh lý hợp đồng cho thuê, cho thuê lại, góp vốn;Bản gốc Giấy chứng nhận ~ 3
Cung cấp dữ liệu đất đai ~ 3 ~ Thông tin, dữ liệu đất đai được cung cấp ~ 300000/hồ sơ ~ Phiếu yêu cầu cung cấp dữ liệu đất đai ~ 4
Xác nhận tiếp tục sử dụng đất nông nghiệp của hộ gia đình, cá nhân khi hết hạn sử dụng đất đối với trường hợp có nhu cầu ~ 5 ~ Giấy chứng nhận được xác nhận thời hạn sử dụng đất ~ ~ Đơn đề nghị xác nhận tiếp tục sử dụng đất nông nghiệp;Bản gốc Giấy chứng nhận ~
Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất đối với trường hợp đã chuyển quyền sử dụng đất trước ngày 01 tháng 7 năm 2014 mà bên nhận chuyển quyền sử dụng đất chưa được cấp Giấy chứng nhận ~ 10 ~ Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất ~ 100000/giấy ~ Đơn đăng ký biến động;Giấy tờ về việc chuyển quyền sử dụng đất*s;Bản gốc Giấy chứng nhận của bên chuyển quyền ~
Bán hoặc góp vốn bằng tài sản gắn liền với đất thuê của Nhà nước theo hình thức thuê đất trả tiền hàng năm ~ 30 ~ Quyết định cho thuê đất và Giấy chứng nhận cho bên mua, bên nhận góp vốn ~ ~ Văn bản đề nghị;Hợp đồng mua bán hoặc góp vốn tài sản;Bản gốc Giấy chứng nhận ~ 2
Chuyển nhượng vốn đầu tư là giá trị quyền sử dụng đất ~ 10 ~ Giấy chứng nhận được xác nhận biến động ~ 30000/lần ~ Đơn đăng ký biến động;Hợp đồng chuyển nhượng vốn đầu tư;Bản gốc Giấy chứng nhận ~ 2
Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất cho người nhận chuyển nhượng quyền sử dụng đất, mua nhà ở, công trình xây dựng trong các dự án phát triển nhà ở ~ 15 ~ Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất ~ 100000/giấy ~ Đơn đăng ký, cấp Giấy chứng nhận;Hợp đồng mua bán, chuyển nhượng;Biên bản bàn giao nhà, đất ~ 2
Đăng ký thay đổi tài sản gắn liền với đất vào Giấy chứng nhận đã cấp ~ 10 ~ Giấy chứng nhận được xác nhận thay đổi tài sản ~ 30000/lần ~ Đơn đăng ký biến động;Giấy tờ về quyền sở hữu tài sản*c;Bản gốc Giấy chứng nhận ~
Gia hạn sử dụng đất nông nghiệp của cơ sở tôn giáo ~ 20 ~ Quyết định gia hạn và Giấy chứng nhận được xác nhận ~ ~ Đơn đề nghị gia hạn sử dụng đất;Bản gốc Giấy chứng nhận ~ 2
"""

CATALOGUE["province", "TP-DKBPBD"] = """
Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất ~ 3 ~ Giấy chứng nhận được chứng nhận nội dung đăng ký thế chấp ~ 80000/hồ sơ ~ ~
Đăng ký thế chấp tài sản gắn liền với đất hình thành trong tương lai ~ 3 ~ Phiếu yêu cầu đăng ký được chứng nhận ~ 80000/hồ sơ ~ Phiếu yêu cầu đăng ký thế chấp;Hợp đồng thế chấp;Giấy phép xây dựng hoặc hồ sơ dự án*s ~
Đăng ký thay đổi nội dung biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất đã đăng ký ~ 3 ~ Giấy chứng nhận được chứng nhận nội dung đăng ký thay đổi ~ 60000/hồ sơ ~ Phiếu yêu cầu đăng ký thay đổi;Văn bản sửa đổi, bổ sung hợp đồng thế chấp ~
Sửa chữa sai sót nội dung biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất đã đăng ký do lỗi của cơ quan đăng ký ~ 1 ~ Giấy chứng nhận được sửa chữa sai sót ~ ~ Phiếu yêu cầu sửa chữa sai sót;Bản gốc Giấy chứng nhận ~
Xóa đăng ký biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất ~ 3 ~ Giấy chứng nhận được chứng nhận xóa đăng ký thế chấp ~ 20000/hồ sơ ~ Phiếu yêu cầu xóa đăng ký;Văn bản đồng ý xóa đăng ký của bên nhận bảo đảm;Bản gốc Giấy chứng nhận ~ 4
Đăng ký văn bản thông báo về việc xử lý tài sản bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất ~ 3 ~ Phiếu yêu cầu đăng ký được chứng nhận ~ 30000/hồ sơ ~ Phiếu yêu cầu đăng ký văn bản thông báo;Văn bản thông báo về việc xử lý tài sản bảo đảm ~
Chuyển tiếp đăng ký thế chấp quyền tài sản phát sinh từ hợp đồng mua bán nhà ở ~ 3 ~ Giấy chứng nhận được chứng nhận nội dung chuyển tiếp đăng ký ~ 80000/hồ sơ ~ Phiếu yêu cầu chuyển tiếp đăng ký;Hợp đồng thế chấp quyền tài sản đã đăng ký*s ~
Cung cấp thông tin về biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất ~ 3 ~ Văn bản cung cấp thông tin về biện pháp bảo đảm ~ 30000/trường hợp ~ Phiếu yêu cầu cung cấp thông tin ~ 4
"""

CATALOGUE["province", "LDTBXH-NCC"] = """
Giải quyết chế độ trợ cấp thờ cúng liệt sĩ ~ 20 ~ Quyết định trợ cấp thờ cúng liệt sĩ ~ 0 ~ Bản khai đề nghị giải quyết chế độ thờ cúng liệt sĩ;Văn bản ủy quyền của thân nhân liệt sĩ;Bằng Tổ quốc ghi công*s ~
Giải quyết chế độ ưu đãi đối với Bà mẹ Việt Nam anh hùng ~ 20 ~ Quyết định trợ cấp ưu đãi ~ ~ Bản khai cá nhân;Quyết định phong tặng danh hiệu Bà mẹ Việt Nam anh hùng*s ~
Giải quyết chế độ ưu đãi đối với người hoạt động kháng chiến bị nhiễm chất độc hóa học ~ 40 ~ Quyết định trợ cấp ưu đãi ~ ~ Bản khai cá nhân;Giấy tờ chứng minh thời gian hoạt động ở vùng bị nhiễm chất độc hóa học*c;Biên bản giám định y khoa ~
Giải quyết chế độ ưu đãi đối với con đẻ của người hoạt động kháng chiến bị nhiễm chất độc hóa học ~ 40 ~ Quyết định trợ cấp ưu đãi ~ ~ Bản khai cá nhân;Giấy khai sinh của con*s;Biên bản giám định y khoa ~
Giải quyết chế độ ưu đãi đối với người hoạt động cách mạng, kháng chiến, bảo vệ Tổ quốc, làm nghĩa vụ quốc tế bị địch bắt tù, đày ~ 40 ~ Quyết định trợ cấp ưu đãi ~ ~ Bản khai cá nhân;Giấy tờ chứng minh bị địch bắt tù, đày*c ~
Giải quyết chế độ ưu đãi đối với người có công giúp đỡ cách mạng ~ 20 ~ Quyết định trợ cấp ưu đãi ~ ~ Bản khai cá nhân;Bằng hoặc Huân, Huy chương kháng chiến*s ~
Giải quyết chế độ ưu đãi đối với người hoạt động kháng chiến giải phóng dân tộc, bảo vệ Tổ quốc và làm nghĩa vụ quốc tế ~ 20 ~ Quyết định trợ cấp một lần ~ ~ Bản khai cá nhân;Bằng hoặc Huân, Huy chương kháng chiến*s ~
Giải quyết chế độ ưu đãi đối với Anh hùng Lực lượng vũ trang nhân dân, Anh hùng Lao động trong thời kỳ kháng chiến ~ 20 ~ Quyết định trợ cấp ưu đãi ~ ~ Bản khai cá nhân;Quyết định phong tặng danh hiệu Anh hùng*s ~
Giải quyết chế độ trợ cấp tiền tuất hàng tháng cho thân nhân khi người có công từ trần ~ 20 ~ Quyết định trợ cấp tiền tuất ~ ~ Bản khai của thân nhân;Giấy chứng tử*s;Biên bản ủy quyền ~ 3
Giải quyết chế độ trợ cấp một lần đối với người được cử làm chuyên gia sang giúp Lào, Căm-pu-chia ~ 30 ~ Quyết định trợ cấp một lần ~ ~ Bản khai cá nhân;Giấy tờ chứng minh thời gian làm chuyên gia*c ~
Di chuyển hồ sơ khi người hưởng trợ cấp ưu đãi thay đổi nơi thường trú ~ 5 ~ Phiếu báo di chuyển hồ sơ người có công ~ ~ Đơn đề nghị di chuyển hồ sơ;Giấy tờ chứng minh nơi thường trú mới*s ~ 3
Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ và hỗ trợ thăm viếng mộ liệt sĩ ~ 5 ~ Giấy giới thiệu đi thăm viếng mộ liệt sĩ ~ ~ Đơn đề nghị thăm viếng mộ liệt sĩ có xác nhận của Ủy ban nhân dân cấp xã;Giấy báo tin mộ liệt sĩ*s ~ 3
Hỗ trợ người có công đi làm phương tiện, dụng cụ trợ giúp chỉnh hình; đi điều trị phục hồi chức năng ~ 10 ~ Quyết định hỗ trợ phương tiện, dụng cụ chỉnh hình ~ ~ Đơn đề nghị hỗ trợ;Chỉ định của cơ sở y tế*s ~
"""

CATALOGUE["province", "LDTBXH-BTXH"] = """
Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã hội cấp tỉnh ~ 15 ~ Quyết định tiếp nhận vào cơ sở trợ giúp xã hội ~ ~ Đơn đề nghị của đối tượng hoặc người giám hộ;Tờ khai thông tin của đối tượng;Giấy tờ tùy thân của đối tượng*s ~
Tiếp nhận đối tượng cần bảo vệ khẩn cấp vào cơ sở trợ giúp xã hội cấp tỉnh ~ 1 ~ Quyết định tiếp nhận đối tượng cần bảo vệ khẩn cấp ~ ~ Biên bản về việc đưa đối tượng vào cơ sở;Văn bản đề nghị của Ủy ban nhân dân cấp xã ~
Dừng trợ giúp xã hội tại cơ sở trợ giúp xã hội cấp tỉnh ~ 5 ~ Quyết định dừng trợ giúp xã hội ~ ~ Văn bản đề nghị dừng trợ giúp;Biên bản bàn giao đối tượng về gia đình ~
"""

CATALOGUE["province", "LDTBXH-TNXH"] = """
Cai nghiện ma túy tự nguyện tại cơ sở cai nghiện ma túy công lập ~ 5 ~ Hợp đồng dịch vụ cai nghiện và quyết định tiếp nhận ~ ~ Đơn xin cai nghiện tự nguyện;Giấy tờ tùy thân*s;Bản sơ yếu lý lịch ~
"""

UNIT_LABEL = {
    "working_days": "ngày làm việc",
    "working_hours": "giờ làm việc",
    "calendar_days": "ngày",
}


def _parse_time(text: str) -> tuple[int, str]:
    text = text.strip()
    if text.endswith("h"):
        return int(text[:-1]), "working_hours"
    if text.endswith("c"):
        return int(text[:-1]), "calendar_days"
    return int(text), "working_days"


def _parse_documents(text: str) -> str:
    parts = []
    for raw in text.split(";"):
        name = raw.strip()
        originals, certified, copies = 1, 0, 0
        if name.endswith("*s"):
            name, originals, copies = name[:-2].strip(), 0, 1
        elif name.endswith("*c"):
            name, originals, certified = name[:-2].strip(), 0, 1
        if not name or "|" in name:
            raise ValueError(f"bad document name: {raw!r}")
        parts.append(f"{name}|{originals}|{certified}|{copies}")
    if not 1 <= len(parts) <= 4:
        raise ValueError(f"1–4 documents expected, got {len(parts)}: {text!r}")
    return ";".join(parts)


def _parse_fee(text: str) -> tuple[str, str]:
    text = text.strip()
    if not text or text == "0":
        return "", "Không thu phí, lệ phí"
    amount, _, per = text.partition("/")
    value = int(amount)
    shown = f"{value:,}".replace(",", ".")
    return str(value), f"{shown} đồng/{per or 'hồ sơ'}"


def _code(level: str, name: str, taken: set[str]) -> str:
    """A stable national-style code: ``1.00xxxx`` (most) or ``2.00xxxx``."""
    digest = int.from_bytes(hashlib.sha256(f"{level}|{name}".encode()).digest()[:8], "big")
    prefix = 2 if digest % 5 == 0 else 1
    span = 2999 if prefix == 2 else 11999
    number = digest // 5 % span + 1
    while True:
        code = f"{prefix}.{number:06d}"
        if code not in taken:
            taken.add(code)
            return code
        number = number % span + 1


def build_rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    taken: set[str] = set()
    for (level, sector_code), block in CATALOGUE.items():
        sector_name, legal_basis, decision_no, decision_date, default_docs, default_ol = SECTORS[
            sector_code
        ]
        for line in block.strip().splitlines():
            fields = [f.strip() for f in line.split("~")]
            if len(fields) != 6:
                raise ValueError(f"expected 6 fields: {line!r}")
            name, time_text, result, fee_text, docs_text, ol_text = fields
            time_value, time_unit = _parse_time(time_text)
            fee, fee_description = _parse_fee(fee_text)
            rows.append(
                {
                    "code": _code(level, name, taken),
                    "name": name,
                    "sector_code": sector_code,
                    "sector_name": sector_name,
                    "level": level,
                    "online_level": ol_text or str(default_ol),
                    "processing_time": str(time_value),
                    "processing_unit": time_unit,
                    "fee": fee,
                    "fee_description": fee_description,
                    "result": result,
                    "legal_basis": legal_basis,
                    "decision_number": f"Quyết định số {decision_no}/QĐ-UBND",
                    "decision_date": decision_date,
                    "valid_from": decision_date,
                    "implementing_unit_codes": COMMUNES if level == "commune" else DISTRICT,
                    "documents": _parse_documents(docs_text or default_docs),
                }
            )
    return rows


# --- after the reform of 1 July 2025 -----------------------------------------------------------

REFORM = "2025-07-01"
# The province publishes the re-assigned catalogue the day before (illustrative).
REFORM_DECISION_DATE = "2025-06-30"
EXPECTED_2025 = {"commune": 161, "province": 211}
# District-level sectors whose procedures went to the commune.
DISTRICT_TO_COMMUNE = frozenset({"BTP-HT", "BTP-CT", "TNMT-DD"})
# Sectors of Decree 120/2025/NĐ-CP (justice: civil status, certification, adoption, grassroots
# mediation, state compensation).
DECREE_120_SECTORS = frozenset({"BTP-HT", "BTP-CT", "BTP-NCN", "BTP-HGCS", "BTP-BTNN"})
DECREE_120 = "Nghị định 120/2025/NĐ-CP"
DECENTRALISATION = (
    "Nghị định của Chính phủ về phân định thẩm quyền của chính quyền địa phương 02 cấp"
)
# Decree 42/2022: online public services are fully or partly online.
ONLINE_2025 = {"4": "full", "3": "partial", "2": "partial"}
LEVEL_WORD = {"commune": "cấp xã", "province": "cấp tỉnh"}
# Names of commune-level procedures that refer to the district (illustrative renames).
RENAMED_2025 = {
    "Xác nhận đăng ký kế hoạch bảo vệ môi trường (trường hợp được Ủy ban nhân dân cấp huyện ủy quyền)": "Xác nhận đăng ký kế hoạch bảo vệ môi trường (cấp xã)",
}


def _level_2025(row: dict[str, str]) -> str:
    if row["level"] != "district":
        return row["level"]
    return "commune" if row["sector_code"] in DISTRICT_TO_COMMUNE else "province"


def build_rows_2025(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """One version from 1 July 2025 of each 2021 row (see the module docstring)."""
    decision_of = {
        sector: f"Quyết định số {1201 + position}/QĐ-UBND"
        for position, sector in enumerate(SECTORS)
    }
    reformed = []
    for row in rows:
        level = _level_2025(row)
        name = RENAMED_2025.get(row["name"], row["name"])
        legal_basis = row["legal_basis"]
        if row["sector_code"] in DECREE_120_SECTORS:
            legal_basis = f"{legal_basis}; {DECREE_120}"
        if row["level"] == "district":
            name = name.replace("cấp huyện", LEVEL_WORD[level])
            if row["sector_code"] not in DECREE_120_SECTORS:
                legal_basis = f"{legal_basis}; {DECENTRALISATION}"
        reformed.append(
            {
                **row,
                "name": name,
                "level": level,
                "online_level": ONLINE_2025[row["online_level"]],
                "legal_basis": legal_basis,
                "decision_number": decision_of[row["sector_code"]],
                "decision_date": REFORM_DECISION_DATE,
                "valid_from": REFORM,
                "implementing_unit_codes": "",
            }
        )
    return reformed


def check(rows: list[dict[str, str]], expected: dict[str, int] = EXPECTED) -> None:
    levels = Counter(row["level"] for row in rows)
    if dict(levels) != expected:
        raise SystemExit(f"level counts {dict(levels)} != {expected}")
    names = Counter(row["name"] for row in rows)
    duplicates = [name for name, n in names.items() if n > 1]
    if duplicates:
        raise SystemExit(f"duplicate names: {duplicates}")


def write(rows: list[dict[str, str]], path: Path = OUTPUT) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> int:
    rows = build_rows()
    check(rows)
    write(rows)
    print(f"wrote {len(rows)} procedures to {OUTPUT}")
    reformed = build_rows_2025(rows)
    check(reformed, EXPECTED_2025)
    write(reformed, OUTPUT_2025)
    print(f"wrote {len(reformed)} procedures to {OUTPUT_2025}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
