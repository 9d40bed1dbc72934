"""A corpus of contact-data spellings made for the tests (every number and address in it is
fictional), and of text that only looks like it and must pass.

``REFUSED``: (kind, text) — each must be found, alone and inside a sentence.
``ALLOWED``: text the detector must leave alone (dates, patents, codes, counts, offices).
"""

from __future__ import annotations

MOBILE = "13912345678"
LANDLINE = ("021", "61234567")
ID18 = "11010519491231002X"  # a well-formed, fictional resident ID number
ID15 = "110105491231002"
NUMERALS_PLAIN = "〇一二三四五六七八九"
NUMERALS_FINANCE = "零壹贰叁肆伍陆柒捌玖"
FULL_WIDTH = "０１２３４５６７８９"
CIRCLED = "⓪①②③④⑤⑥⑦⑧⑨"
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
SEPARATORS = [
    "-",
    " ",
    "\u00ad",
    "—",
    "–",
    "/",
    "_",
    "，",
    "·",
    ".",
    "\u200b",
    "\u2060",
    "、",
    "～",
    "\u3000",
    " - ",
    "\u00ad\u00ad",
    "|",
    "｜",
    "\u2014\u2014",
    "\u202f",
    "\t",
    "\ufe0f",
]


def spell(digits: str, alphabet: str) -> str:
    return "".join(alphabet[int(d)] if d.isdigit() else d for d in digits)


def mobiles() -> list[str]:
    m = MOBILE
    out = [m, "+86" + m, "+86 " + m, "0086-" + m, "86-" + m, "0" + m, f"({m[:3]}){m[3:]}"]
    for sep in SEPARATORS:
        out.append(sep.join((m[:3], m[3:7], m[7:])))
        out.append(m[:3] + sep + m[3:])  # 139 then the rest
    out.append(" ".join(m))  # digit by digit
    out.append("\u00ad".join(m))
    out.append("\u200b".join(m))
    out.append("-".join(m))
    for alphabet in (NUMERALS_PLAIN, NUMERALS_FINANCE, FULL_WIDTH, CIRCLED, ARABIC_INDIC):
        out.append(spell(m, alphabet))
        out.append(
            spell(m[:3], alphabet) + "-" + spell(m[3:7], alphabet) + "-" + spell(m[7:], alphabet)
        )
    out.append(spell(m, NUMERALS_PLAIN).replace("一", "幺"))  # 幺 for one, as read aloud
    out.append("".join(c if i % 2 else NUMERALS_PLAIN[int(c)] for i, c in enumerate(m)))  # 1三9…
    out.append("".join(c if i % 2 else NUMERALS_FINANCE[int(c)] for i, c in enumerate(m)))
    out.append(m[:3] + "\u0301" + m[3:])  # a combining mark between digits
    out.append("".join(d + "\ufe0f" for d in m))  # variation selectors
    out.append("".join(d + "\U000e0041" for d in m))  # tag characters
    out.append("１３９－１２３４－５６７８")
    out.append("139 1234 5678")
    out.append("139.1234.5678")
    out.append("1391234 5678")
    out.append("13912 345678")
    for other in ("15012345678", "18612345678", "17712345678", "19912345678", "14712345678"):
        out += [other, f"{other[:3]}-{other[3:7]}-{other[7:]}", spell(other, NUMERALS_PLAIN)]
    for prefix in ("(+86)", "＋８６ ", "+86-", "0086 ", "（+86）"):
        out.append(prefix + "139 1234 5678")
    return out


def landlines() -> list[str]:
    area, local = LANDLINE
    out = [
        area + local,
        f"{area}-{local}",
        f"({area}){local}",
        f"（{area}）{local}",
        f"{area} {local[:4]} {local[4:]}",
        f"{area}—{local[:4]}—{local[4:]}",
        f"+86 21 {local}",
        f"0086-21-{local}",
        "0755-26123456",
        "0755 2612 3456",
        "(0755) 2612-3456",
        "010-65123456",
        "010 6512 3456",
        "0571-87654321",
        "0591-87654321",
        " ".join(area + local),
        spell(area + local, NUMERALS_PLAIN),
        spell(f"{area}-{local}", FULL_WIDTH),
        f"{area}\u00ad{local}",
        f"{area}/{local}",
    ]
    out += [f"{area}{sep}{local[:4]}{sep}{local[4:]}" for sep in SEPARATORS if sep != " "]
    return out


def id_numbers() -> list[str]:
    out = [
        ID18,
        ID18.lower(),
        f"{ID18[:6]} {ID18[6:14]} {ID18[14:]}",
        f"{ID18[:6]}-{ID18[6:14]}-{ID18[14:]}",
        " ".join(ID18),
        "\u00ad".join(ID18),
        spell(ID18[:17], FULL_WIDTH) + "X",
        spell(ID18[:17], NUMERALS_PLAIN) + "X",
        spell(ID18[:17], NUMERALS_FINANCE) + "X",
        ID15,
        f"{ID15[:6]} {ID15[6:12]} {ID15[12:]}",
        spell(ID15, FULL_WIDTH),
        spell(ID15, NUMERALS_PLAIN),
        "440106198001010449",
        "4401 0619 8001 0104 49",
    ]
    out += [f"{ID18[:6]}{sep}{ID18[6:14]}{sep}{ID18[14:]}" for sep in SEPARATORS if sep not in " -"]
    return out


def emails() -> list[str]:
    return [
        "zhang.san@example.com",
        "zhang_san+tag@example.com.cn",
        "ZHANG@EXAMPLE.COM",
        "zhang @ example.com",
        "zhang@ example . com",
        "zhang＠example.com",
        "ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        "zhang﹫example.com",
        "zhang at example dot com",
        "zhang AT example DOT com",
        "zhang [at] example [dot] com",
        "zhang(at)example(dot)com",
        "zhang (at) example.com",
        "zhang（at）example.com",
        "zhang【at】example.com",
        "zhang{at}example.com",
        "zhang<at>example.com",
        "zhang 艾特 example.com",
        "zhang艾特163.com",
        "zhang@example。com",
        "zhang@example点com",
        "zhang@example．com",
        "张三@example.com",
        "张三@qq.com",
        "张三@例子.中国",
        "zhang\u00ad@example.com",
        "zhang@exam\u200bple.com",
        "z.h.a.n.g@example.org",
        "13912345678@163.com",
        "zhang @example .cn",
        "zhangsan#163.com",
        "zhang.san # hospital.edu.cn",
        "zhang＃qq.com",
        "zhang﹟example.org",
        "zhang#example dot com",
        "li_si#126.com（请将#换成@）",
        "zhangsan(#)163.com",
        "zhangsan【#】qq.com",
        "zhangsan\t#\t163.com",
        # Character references, which an issue on GitHub shows as the character.
        "zhang&#x40;hospital.cn",
        "zhang&#64;hospital.cn",
        "zhang&commat;hospital&period;cn",
    ]


def referenced(text: str) -> str:
    """``text`` with every character written as a decimal character reference."""
    return "".join(f"&#{ord(char)};" for char in text)


def refused() -> list[tuple[str, str]]:
    every = (
        [("mobile", referenced(MOBILE)), ("id_number", "身份证 &#49;" + ID18[1:])]
        + [("mobile", text) for text in mobiles()]
        + [("landline", text) for text in landlines()]
        + [("id_number", text) for text in id_numbers()]
        + [("email", text) for text in emails()]
    )
    return list(dict.fromkeys(every))


# Split across two fields: (first field, second field).
SPLIT = [
    ("联系电话139", "1234-5678号"),
    ("手机 139 1234", "5678"),
    ("021-", "61234567"),
    ("身份证 110105 19491231", "002X"),
]

ALLOWED = [
    "广东省人民医院成果转化办公室",
    "福建省医疗器械临床研究成果转化平台",
    "2025-06-13",
    "2025-07-01至2028-12-31",
    "2025.07.01-2028.12.31",
    "2025-06-13 2025-07-14 2025-08-15",
    "立项日期：2025年6月13日；结题日期：2026年12月31日",
    "专利 ZL202310567890.1",
    "申请号 202310567890.1、202410123456.X",
    "统一社会信用代码 91440101MA5CXN0TXP",
    "样本量 1300 例，随访 12 个月",
    "第1、3、5、7、9、11、13、15天复查",
    "评分 1, 3, 5, 7, 9, 11, 13",
    "邮政编码 510080",
    "400-123-4567",
    "项目编号 GD-2025-0001、GD-2025-0002、GD-2025-0003",
    "注册证编号：粤械注准20232140123",
    "国械注准20203130456",
    "13:45 至 14:30",
    "2026年第一季度",
    "一种基于深度学习的二类医疗器械",
    "第二类、第三类医疗器械",
    "look at the data",
    "at least 3 patients",
    "email: see the office",
    "100000 元",
    "1,234,567 元",
    "分辨率 1920×1080",
    "波长 1310 nm / 1550 nm",
    "GB 9706.1-2020",
    "YY 0505-2012",
    "ISO 13485:2016",
    "批号 20250613-001",
    "门诊楼1#楼3层",
    "A &amp; B 医疗器械有限公司",
    "&#0;&#xD800;&#99999999; &#12345",
    "3#手术室、5#病房",
    "实施例#1.本发明",
    "样本#3.Results show",
    "用 C# .NET 开发",
    "见 issue#12.md",
    "#1.5 mm 导丝",
    "Fig#2.Top view",
    "No#1.cn",
    "批号Lot#2.cc",
    "型号A#1.CN",
    "#医疗器械#",
]
