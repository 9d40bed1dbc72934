"""The web form (form.html) in Debian's Chromium.

- the contact-data detector of contacts.js gives Python's verdicts (kinds and masked values)
  on every spelling of the corpus and on random text, and the form reads answers (dates,
  numbers, lists) as intake reads them, with intake's messages;
- a project and an enterprise filled in, downloaded as annex 1 / annex 2 and imported with
  ``springrain import``'s importer, give the records ``springrain intake`` makes from the
  issue body the same page writes, field for field (only the first history event's
  ``source`` / ``note`` differs: it names where each came from);
- a phone number typed in a text area is refused inline in the validator's words, and
  nothing can be submitted or downloaded;
- the GitHub link opens the right issue form with every answer in its field; answers too
  long for an address are copied as the body instead;
- hostile input (markup, template syntax, 100,000 characters, odd Unicode) stays text;
- the page at 1366 and 375 px, by keyboard, axe-core clean, and without JavaScript.

The page is the one the site registry builds (``form.html``); until the registry lists it,
the page is rendered from ``site/webform.page_data`` into a copy of a built page and served
beside the demo site.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import threading
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import orjson
import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")

from steps import assert_layout

import contact_corpus as corpus
from sitepackage import HOSTILE
from springrain.config import DATA_DIR, settings
from springrain.intake import issues
from springrain.intake.forms import checkbox_option, form_elements, list_text
from springrain.intake.sheets import formsheet
from springrain.intake.sheets.importer import import_file
from springrain.intake.sheets.layout import Answer, layout
from springrain.intake.sheets.workbook import read_workbook
from springrain.intake.sheets.writer import write_annex1, write_annex2
from springrain.intake.webform import annex_of
from springrain.package import reader
from springrain.site import webform as page_module
from springrain.site.context import Site
from springrain.site.render import render
from springrain.site.serve import address, make_server
from springrain.validate import contacts

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TODAY = dt.date(2026, 6, 1)
AUTHOR = "li-test"

PROJECT = {
    "programme": "FJ-2025",
    "province": "FJ",
    "project_name": "测试用可降解输尿管支架",
    "institution": "测试用第一医院",
    "city": "福州市",
    "department": "泌尿外科",
    "project_lead": "李测试",
    "contact_route": "测试用第一医院成果转化办公室",
    "project_type": "无源",
    "product_class": "第三类",
    "category": "13",
    "stage": "其他",
    "stage_note": "动物实验阶段",
    "structure": "支架主体、推送器和定位线。",
    "working_principle": "支架在体内逐步降解，无需二次手术取出。\n降解周期约 4 周。",
    "intended_use": "用于输尿管镜术后引流。",
    "innovation_points": "可降解材料与显影标记结合。",
    "clinical_need": "减少二次手术。",
    "clinical_prospects": "每年约 10 万例输尿管镜手术。",
    "industry_market": "泌尿外科耗材市场增长较快。",
    "comparable_products": "国内外尚无同类可降解产品获批。",
    "industry_contribution": "带动本省可降解材料产业。",
    "research_team": "项目负责人李测试，主任医师；团队 6 人。",
    "intellectual_property": "发明专利 | 一种可降解输尿管支架 | 已授权 | 测试用第一医院、李测试 | ZL202310567890.1\n"
    "- 实用新型专利 | 一种支架推送器 | 申请中 | 测试用第一医院",
    "programme_listings": "省级立项 | 福建省自然科学基金 | 2024",
    "current_cooperation": "尚无合作企业。",
    "progress": "样机已完成动物实验。",
    "intended_partners__in_province": "测试用医疗科技有限公司",
    "intended_partners__outside_province": "1. 测试用器械股份有限公司\n测试用生物材料有限公司",
    "cooperation_modes_sought": ["技术转让", "联合开发"],
    "other_notes": "无。",
    "commitment": True,
    "publish_consent": True,
}
ENTERPRISE = {
    "name": "测试用医疗器械有限公司",
    "province": "FJ",
    "address": "福州市测试路 1 号",
    "credit_code": "91350100MA2XXXXX0X",
    "fields": ["13", "21"],
    "legal_representative": "王测试",
    "registered_capital": "1,000 万元",
    "registration_date": "2015年3月8日",
    "high_tech": "是",
    "specialised": "省级",
    "profile": "专注于可降解植入器械的研发和生产。",
    "device_classes": ["第二类", "第三类"],
    "cooperation_modes": ["技术转让", "联合开发", "委托研发"],
    "regions": ["FJ", "GD"],
    "contact_route": "测试用医疗器械有限公司技术合作部",
}


def _valid_credit_code() -> str:
    """A credit code with a correct check character (python-stdnum computes it)."""
    from stdnum.cn import uscc

    base = "91350100MA2YT8XQ0"
    return base + uscc.calc_check_digit(base)


ENTERPRISE["credit_code"] = _valid_credit_code()


# ---------------------------------------------------------------- the page


def _stand_in(demo_site: Path, demo_package: Path, out: Path) -> Path:
    """form.html rendered as the site build would render it, in a copy of a built page."""
    site = Site(reader.read(demo_package), demo_site, settings(), demo=True)
    section = render("webform.html", **page_module.page_data(site))
    html = (demo_site / "about.html").read_text(encoding="utf-8")
    html = re.sub(
        r"(<article[^>]*>).*?(</article>)",
        lambda m: m.group(1) + "<h1>在线填表</h1>" + section + m.group(2),
        html,
        count=1,
        flags=re.DOTALL,
    )
    html = re.sub(r"<title>.*?</title>", "<title>在线填表</title>", html, count=1)
    shutil.copytree(demo_site / "assets", out / "assets")
    (out / "form.html").write_text(html, encoding="utf-8")
    for name in ("index.html", "404.html"):
        if (demo_site / name).is_file():
            shutil.copy(demo_site / name, out / name)
    return out


@pytest.fixture(scope="module")
def form_url(
    demo_site: Path, demo_package: Path, base_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if (demo_site / "form.html").is_file():
        yield base_url + "form.html"
        return
    root = _stand_in(demo_site, demo_package, tmp_path_factory.mktemp("form") / "site")
    prefix = settings().site_path
    server = make_server(root, prefix, 18_200)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield address(server, prefix) + "form.html"
    server.shutdown()
    server.server_close()


def _context(browser, width: int = 1366, height: int = 900, **options: Any):
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="zh-CN",
        accept_downloads=True,
        **options,
    )
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.github = []  # type: ignore[attr-defined]
    page.dialogs = []  # type: ignore[attr-defined]
    page.errors = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))

    def stub(route) -> None:
        page.github.append(route.request.url)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body="<h1>GitHub</h1>")

    context.route("https://github.com/**", stub)
    return context, page


@pytest.fixture
def form_page(browser, form_url: str) -> Iterator[Any]:
    context, page = _context(browser)
    page.goto(form_url)
    page.wait_for_selector("#sr-webform:not([hidden])")
    yield page
    site = form_url.rsplit("/", 1)[0] + "/"
    external = [
        url
        for url in page.requests
        if not url.startswith((site, "blob:", "data:")) and url not in page.github
    ]
    dialogs, errors = list(page.dialogs), list(page.errors)
    context.close()
    assert not external, f"requests left the site: {external}"
    assert not dialogs, f"a dialog opened (injected script ran): {dialogs}"
    assert not errors, f"script errors: {errors}"


def _spec(page) -> dict[str, Any]:
    return json.loads(page.inner_text("#sr-webform-spec"))


def choose_form(page, form: str) -> None:
    page.check(f"input[name=sr-wf-form][value={form}]")
    page.wait_for_selector(f"#sr-wf-{form}:not([hidden])")


def fill_form(page, form: str, answers: dict[str, Any]) -> None:
    """Type the answers as a person would: text typed, choices picked, boxes ticked."""
    choose_form(page, form)
    for el in form_elements(form):
        if el.id not in answers:
            continue
        value = answers[el.id]
        field = page.locator(f"#sr-wf-{form} [data-id='{el.id}']")
        if el.widget == "checkbox":
            field.locator("input").set_checked(bool(value))
        elif el.widget == "multi":
            for code in value:
                field.locator(f"input[value='{code}']").check()
        elif el.widget in ("dropdown", "boolean"):
            field.locator("select").select_option(value)
        else:
            field.locator("[name]").fill(value)
    page.locator(f"#sr-wf-{form} h2").click()  # leave the last field
    page.wait_for_timeout(200)


def state(page, form: str) -> dict[str, Any]:
    return page.evaluate(f"() => SpringrainWebform.forms['{form}'].state")


# ---------------------------------------------------------------- the detector, both ways


def _random_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    pieces = [
        *"0123456789 -./()_,+Xx@",
        *"①②⑩⒈¹٣٤۵०१一二三四五六七八九零〇两幺壹贰abcAB中文字点",
        "\u3000", "、", "·", "：", "Ｘ", "\u0660", "\u00ad", "\u200b", "\u0301",
        " at ", "[at]", "(at)", "艾特", " dot ", "。", ".com", ".cn", "@163", "ａｔ",
        "\U0001d7ce", "\U0001f600", "139", "021-", "+86 ", "1101051949", "@example.com",
    ]  # fmt: skip
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(3, 60))) for _ in range(count)]
    while len(texts) < count * 2:
        chars = [chr(rng.randint(0x20, 0x2FFFF)) for _ in range(rng.randint(3, 40))]
        texts.append("".join(c for c in chars if unicodedata.category(c) not in ("Cn", "Cs", "Co")))
    return texts


def test_the_detector_gives_pythons_verdicts(form_page) -> None:
    texts = [text for _, text in corpus.refused()]
    texts += [f"如有疑问请联系{text}，谢谢" for text in texts]
    texts += ["\n".join(pair) for pair in corpus.SPLIT] + list(corpus.ALLOWED)
    texts += _random_texts(14, 1500)
    # Too many candidates to read each: CROWDED, as in Python.
    texts.append(" ".join(f"139{n:08d}" for n in range(20000)))
    expected = [[[hit.kind, hit.masked] for hit in contacts.find(text)] for text in texts]
    got = form_page.evaluate(
        """(texts) => {
          const detector = SpringrainContacts.make(JSON.parse(
            document.getElementById('sr-webform-spec').textContent).contacts);
          return texts.map(t => detector.find(t).map(h => [h.kind, h.masked]));
        }""",
        texts,
    )
    wrong = [
        (text[:80], want, have)
        for text, want, have in zip(texts, expected, got, strict=True)
        if want != have
    ]
    assert not wrong, wrong[:5]
    refused = len(corpus.refused())
    assert all(expected[:refused]), "every refused spelling is found"
    assert expected[-1][-1] == ["crowded", "…"]


def test_the_text_classes_are_pythons(form_page) -> None:
    """The web form refuses the characters the validator refuses, astral ones included, and
    those newer than the validator's Unicode whatever the browser's own."""
    from springrain.validate.checks.text import CONTROL_CHARS, ZERO_WIDTH_CHARS, unknown_char

    points = [*range(0x0, 0x3400), *range(0xF900, 0x10000), *range(0xE0000, 0xE0200)]
    points += range(0x10000, 0x20000)  # the plane where Unicode adds digits and emoji
    points += [*range(0x2EBE0, 0x2EC00), *range(0x31340, 0x31360)]  # CJK planes' new blocks
    points += [
        plane + end
        for plane in range(0x20000, 0x110000, 0x10000)
        for end in (0x0000, 0xFFFD, 0xFFFE, 0xFFFF)
    ]
    chars = [chr(p) for p in points if not 0xD800 <= p <= 0xDFFF]
    expected = [
        [bool(CONTROL_CHARS.search(c)), bool(ZERO_WIDTH_CHARS.search(c)), bool(unknown_char(c))]
        for c in chars
    ]
    got = form_page.evaluate(
        """(chars) => {
          const P = JSON.parse(document.getElementById('sr-webform-spec').textContent).parsing;
          const control = new RegExp(P.control, "u"), zero = new RegExp(P.zero_width, "u");
          const unknown = new RegExp(P.unknown, "u");
          return chars.map(c => [control.test(c), zero.test(c), unknown.test(c)]);
        }""",
        chars,
    )
    wrong = [
        (f"U+{ord(c):04X}", want, have)
        for c, want, have in zip(chars, expected, got, strict=True)
        if want != have
    ]
    assert not wrong, wrong[:5]


def _read_alike(form_page, cases: list[tuple[str, str, str]]) -> None:
    """Each (form, element, answer) read by the browser as intake reads it: the value and
    intake's messages."""
    expected = []
    for form, element, raw in cases:
        el = next(e for e in form_elements(form) if e.id == element)
        problems: list[issues.Problem] = []
        value = issues.answer_value(el, raw, problems)
        expected.append([value, [p.message_zh for p in problems]])
    got = form_page.evaluate(
        """(cases) => cases.map(([form, element, raw]) => SpringrainWebform.read(form, element, raw))""",
        cases,
    )
    for case, want, have in zip(cases, expected, got, strict=True):
        assert have == want, case


def test_answers_are_read_as_intake_reads_them(form_page) -> None:
    """Dates, numbers and list lines, right and wrong: the value and intake's messages."""
    cases: list[tuple[str, str, str]] = []
    for raw in ("2025-06-13", "2025/6/1", "2025 年 6 月 1 日", "２０２５－０６－１３", "2025-02-30",
                "0000-01-01", "13912345678", "二〇二五年", "2025.13.01", "<b>2025</b>"):  # fmt: skip
        cases.append(("enterprise", "registration_date", raw))
    for raw in (
        "1000",
        "1,000.5 万元",
        "人民币1000万元",
        "1000万元人民币",
        "1000元",
        "1000人民币",
        "人民币1000",
        "1000\r万",
        "1,5万元",
        "1,000,000.25",
        "1.000,5",
        "人民币 1000\u3000万元",
        "１２３",
        "+12",
        "-5",
        "1e9",
        "inf",
        "1234567890123",
        "0.12345",
        "壹佰",
        # Unicode 16's outlined digits: 0-9 to a newer browser, nothing to this Python.
        "\U0001ccf1\U0001ccf0\U0001ccf0\U0001ccf0万元",
    ):
        cases.append(("enterprise", "registered_capital", raw))
    cases.append(
        ("enterprise", "registration_date", "\U0001ccf2\U0001ccf0\U0001ccf2\U0001ccf5-06-13")
    )
    for raw in (
        "发明专利 | 名称 | 已授权 | 甲、乙；丙 | ZL1",
        "发明 | 名称 | 已授权 | 甲",
        "发明专利 | 名称",
        "发明专利 | 名称 | 已授权 | 甲 | ZL1 | 多余",  # a part past the last: refused
        "- 其他｜名称｜申请中｜甲\n\n1. 外观设计专利|名称二|已授权|乙|",
        "发明专利 | 名称 | 已授权 | “Acme Co., Ltd.”、乙、“丙；丁” | ZL1",
        "发明专利 | 名称 | 已授权 | 企业“某某，有限”公司、“”、“未闭合，甲",
        '发明专利 | 名称 | 已授权 | "Acme Co., Ltd."、「甲，乙」、「“A, B”」、示例医院、上海某大学” | ZL1',
        "发明专利 | 名称 | 已授权 | " + "“" * 300 + "、" * 300,
    ):
        cases.append(("project", "intellectual_property", raw))
    for raw in (
        "国家 | 计划 | 二〇二四",
        "市级立项 | 计划 | 2024.5",
        "省 | 计划",
        "区级 | 计划 | 2024",
        "省级 | 计划 | 2024.9",
        "省级 | 计划 | 人民币2024万元",
        "国家级 | 计划 | 2023年",
        "市级 | 计划 | 2023 年\n国家 | 计划二 | ２０２３年",
        "省级立项 | 计划 | 二〇二三年",
        "省级 | 计划 | 年",
    ):
        cases.append(("project", "programme_listings", raw))
    for raw in (
        "- 甲公司\n\n* 乙公司 \n3. 丙公司",
        "甲公司、乙公司；丙公司\n丁公司",
        "“Acme Co., Ltd.”、「甲，乙」公司\n“未闭合，戊",
        "甲公司（原乙公司、丙公司合并）\nBoston Scientific (Shanghai) Co., Ltd., 丁公司",
        "无\n暂无，待定。\n‘甲，乙’、＂丙，丁＂、（未闭合，戊",
        "360、腾讯、阿里巴巴\n1.甲公司\n暂无意向、N/A、/",
        "1、甲医疗器械有限公司 2、乙医疗科技有限公司\n（1）丙公司（2）丁公司\n①戊②己",
        "1、3M中国有限公司 2、强生\n3.14科技有限公司\n1、甲公司（原2、乙公司） 3、丙",
        "Siemens, Philips、华为\nMedtronic Co.，Ltd.\nBoston Scientific (China), Ltd\nAcme, Ltda",
        "“无”、无、“1、甲公司”",
        "一、甲公司 二、乙公司\n（一）丙（二）丁\n１、戊 ２、己\n1．庚 2．辛\n⑴壬⑵癸\n⒈子⒉丑\n十一、寅 十二、卯",
        "Boston Scientific（China）, Ltd\nAcme Co.,  Ltd.\nAcme Co. , Ltd.\nＡｃｍｅ　Ｃｏ．，Ｌｔｄ．\nFresenius SE & Co., KGaA",
        "暂未确定\n待确定、——、NA、None、目前暂无\n一一、甲 二、乙",
        "1、" + "甲2" * 300 + "\n" + "Acme, Co" * 300,
    ):
        cases.append(("project", "intended_partners__in_province", raw))
    _read_alike(form_page, cases)


def test_random_list_answers_are_read_as_intake_reads_them(form_page) -> None:
    """Partner and owner answers made of what lists are read by, read alike."""
    chars = '甲乙Ab1 2.、，,;；“”「」"‘’＂（）()①②·-无/Co Ltd\n|一二十１２．⑴⒈Ｃｏ．Ｌｔｄ　KGaA'
    rng = random.Random(12)
    cases = []
    for _ in range(300):
        raw = "".join(rng.choice(chars) for _ in range(rng.randint(1, 30)))
        cases.append(("project", "intended_partners__in_province", raw))
        cases.append(("project", "intellectual_property", "发明专利 | 名称 | 已授权 | " + raw))
    _read_alike(form_page, cases)


def _together_in_python(form: str, raws: dict[str, Any]) -> str:
    """The validator's text read together (TextContext.together) of the record intake makes
    of ``raws`` (codes for choices, text for the rest), before any field of its own."""
    from springrain.model.records import reorder
    from springrain.model.schemas import key_order
    from springrain.validate.checks.registry import TextContext
    from springrain.validate.engine import CODES, read_apart

    record: dict[str, Any] = {}
    for el in form_elements(form):
        if el.id not in raws:
            continue
        raw = raws[el.id]
        if el.widget in ("dropdown", "multi"):
            value = raw
        elif el.widget == "boolean":
            value = raw == "是"
        else:
            value = issues.answer_value(el, raw, [])
        if value is not None:
            issues._put(record, el.path, value)
    record = reorder(record, key_order(form))
    context = TextContext(
        "", lambda p: (p, p), CODES.get(form, frozenset()), record=record, apart=read_apart(form)
    )
    return context.together


def test_answers_are_read_together_as_the_validator_reads_them(form_page) -> None:
    """The browser's text of a form's answers read together for split contact data is the
    validator's, byte for byte: the words in order, codes left out, the rest apart."""
    rng = random.Random(13)
    bits = ["139", "1234", "5678", "号", "甲", "Ltd", " ", "、", "|", "\n", "0", "-", "@", "x.cn"]

    def text() -> str:
        return "".join(rng.choice(bits) for _ in range(rng.randint(1, 6)))

    cases = []
    for _ in range(60):
        cases.append(
            (
                "enterprise",
                {
                    "name": text(),
                    "province": rng.choice(["GD", "HK"]),
                    "address": text(),
                    "credit_code": "91440101MA5CXN0TXP",
                    "fields": rng.sample(["01", "02", "03", "04", "21"], rng.randint(1, 4)),
                    "registration_date": "2015-03-08",
                    "registered_capital": "1000",
                    "profile": text(),
                    "contact_route": text(),
                },
            )
        )
        cases.append(
            (
                "project",
                {
                    "programme": "SH-2026",
                    "province": "SH",
                    "project_name": text(),
                    "contact_route": text(),
                    "stage": "其他",
                    "stage_note": text(),
                    "intellectual_property": "发明专利 | " + text() + " | 已授权 | " + text(),
                    "intended_partners__in_province": text(),
                    "other_notes": text(),
                },
            )
        )
    got = form_page.evaluate(
        "(cases) => cases.map(([form, raws]) => SpringrainWebform.together(form, raws))", cases
    )
    for (form, raws), have in zip(cases, got, strict=True):
        assert have == _together_in_python(form, raws), (form, raws)
    assert all("\x00" in have and "91440101" not in have for have in got)


def test_lists_are_written_as_the_writer_writes_them(form_page) -> None:
    """The names of a list answer, written into an annex cell by the browser and by
    Python alike: quoted where they would read otherwise."""
    chars = '甲乙Ab1 2.、，,;；“”「」"‘’＂（）()①·-无/Ltd一二十１２．⑴⒈Ｃｏ．，Ｌｔｄ　'
    rng = random.Random(11)
    cases = [
        ["3.14科技有限公司", "1、甲公司", "·丙公司", "360、腾讯"],
        ["无", "待定。"],
        ["甲公司（北京", "乙）"],
        ['甲"', '"乙'],
        ["1", "2"],
        ["1", "甲"],
        ["Siemens, Philips", "Acme Co., Ltd."],
    ]
    cases += [
        [
            "".join(rng.choice(chars) for _ in range(rng.randint(1, 8)))
            for _ in range(rng.randint(1, 4))
        ]
        for _ in range(300)
    ]
    got = form_page.evaluate("(cases) => cases.map(SpringrainWebform.listText)", cases)
    for values, have in zip(cases, got, strict=True):
        assert have == list_text(values), values


# ---------------------------------------------------------------- the same record both ways


SHEET_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sheets"


def _data(tmp_path: Path, name: str, records: tuple[str, ...] = ()) -> Path:
    """A data directory with the real hand-kept tables and the fixture records named."""
    target = tmp_path / name
    target.mkdir()
    for table in DATA_DIR.glob("*.csv"):
        shutil.copy(table, target / table.name)
    for kind in records:
        record = orjson.loads((SHEET_FIXTURES / f"{kind}-full.json").read_bytes())
        folder = target / (f"projects/{record['province']}" if kind == "project" else f"{kind}s")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{record['id']}.json").write_bytes(
            orjson.dumps(record, option=orjson.OPT_INDENT_2)
        )
    return target


def _download(page, form: str, tmp_path: Path) -> Path:
    with page.expect_download() as info:
        page.click(f"#sr-wf-{form} [data-sr=download]")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def _answers(path: Path, form: str) -> dict[str, str]:
    """Each element's answer text in an annex file, as the importer finds the cells."""
    sheet = read_workbook(path).visible[0]
    found = formsheet.locate(sheet, layout(annex_of(form)))
    answers = {}
    for placed in found.placed:
        answer = placed.target
        if isinstance(answer, Answer) and answer.kind == form and placed.answer_at:
            cell = sheet.cells.get(placed.answer_at)
            answers[answer.field] = str(cell.value) if cell is not None else ""
    return answers


def _same_cells(form: str, browser_file: Path, python_file: Path) -> None:
    """The answer cells the browser filled hold what the Python writer writes."""
    made, written = _answers(browser_file, form), _answers(python_file, form)
    assert made == written
    embedded = layout(annex_of(form)).embedded  # a note written inside a choice's box
    assert set(made) == {el.id for el in form_elements(form)} - set(embedded)


def test_a_project_downloaded_and_imported_equals_its_issue(
    form_page, tmp_path: Path, shot
) -> None:
    fill_form(form_page, "project", PROJECT)
    now = state(form_page, "project")
    assert now["ok"], now["problems"]
    assert "全部通过" in form_page.inner_text("#sr-wf-project [data-sr=status]")
    form_page.locator("#sr-wf-project .sr-wf-check").scroll_into_view_if_needed()
    shot(form_page, "webform-project-ready")
    body = now["body"]
    assert issues.detect_form(body) == "project"
    annex = _download(form_page, "project", tmp_path)
    assert annex.name.startswith("附件1-测试用可降解输尿管支架")
    assert zipfile.ZipFile(annex).testzip() is None

    by_issue = _data(tmp_path, "issue")
    outcome = issues.run_intake("project", body, by_issue, AUTHOR, 12, TODAY)
    assert outcome.ok, outcome.comment
    by_annex = _data(tmp_path, "annex")
    report = import_file(annex, by_annex, by_annex, author=AUTHOR, today=TODAY)
    assert not report.refused, report.render()
    issue_record = orjson.loads(outcome.path.read_bytes())
    annex_record = orjson.loads(report.written[0].path.read_bytes())
    # Only the first event's source says how each came: the issue, or the file imported.
    assert issue_record["history"][0].pop("source") == "GitHub issue #12"
    assert annex_record["history"][0].pop("source") == f"批量导入 {annex.name} 附件1"
    assert annex_record == issue_record
    for name in (
        "stage_note",
        "intellectual_property",
        "intended_partners",
        "cooperation_modes_sought",
    ):
        assert name in annex_record, name
    python = tmp_path / "python.xlsx"
    write_annex1(python, issue_record)
    _same_cells("project", annex, python)


def test_an_enterprise_downloaded_and_imported_equals_its_issue(form_page, tmp_path: Path) -> None:
    fill_form(form_page, "enterprise", ENTERPRISE)
    now = state(form_page, "enterprise")
    assert now["ok"], now["problems"]
    annex = _download(form_page, "enterprise", tmp_path)
    assert annex.name.startswith("附件2-")
    by_issue, by_annex = _data(tmp_path, "issue"), _data(tmp_path, "annex")
    outcome = issues.run_intake("enterprise", now["body"], by_issue, AUTHOR, 13, TODAY)
    assert outcome.ok, outcome.comment
    report = import_file(annex, by_annex, by_annex, author=AUTHOR, today=TODAY)
    assert not report.refused, report.render()
    issue_record = orjson.loads(outcome.path.read_bytes())
    annex_record = orjson.loads(report.written[0].path.read_bytes())
    assert annex_record == issue_record  # an enterprise has no history: nothing differs
    assert annex_record["registered_capital"] == 1000
    assert annex_record["registration_date"] == "2015-03-08"
    python = tmp_path / "python.xlsx"
    write_annex2(python, issue_record)
    _same_cells("enterprise", annex, python)


def test_a_cooperation_downloaded_and_imported_equals_its_issue(form_page, tmp_path: Path) -> None:
    cooperation = orjson.loads((SHEET_FIXTURES / "cooperation-full.json").read_bytes())
    answers: dict[str, Any] = {
        "project": cooperation["project"],
        "enterprise": cooperation["enterprise"],
        "modes": cooperation["modes"],
        **{f"progress__{k}": v for k, v in cooperation["progress"].items()},
    }
    fill_form(form_page, "cooperation", answers)
    now = state(form_page, "cooperation")
    assert now["ok"], now["problems"]
    annex = _download(form_page, "cooperation", tmp_path)
    kinds = ("project", "enterprise")
    by_issue, by_annex = _data(tmp_path, "issue", kinds), _data(tmp_path, "annex", kinds)
    # An intent is the enterprise's: declared by whoever registered it.
    enterprise = orjson.loads((SHEET_FIXTURES / "enterprise-full.json").read_bytes())
    author = enterprise["submitted_by"]
    outcome = issues.run_intake("cooperation", now["body"], by_issue, author, 15, TODAY)
    assert outcome.ok, outcome.comment
    report = import_file(annex, by_annex, by_annex, author=author, today=TODAY)
    assert not report.refused, report.render()
    written = next(w for w in report.written if w.kind == "cooperation")
    issue_record = orjson.loads(outcome.path.read_bytes())
    annex_record = orjson.loads(written.path.read_bytes())
    # A cooperation's first event names its origin in a note (an issue, or the file's block).
    assert issue_record["history"][0].pop("note") == "GitHub issue #15"
    assert annex_record["history"][0].pop("note") == f"批量导入 {annex.name} 附件2 合作情况（1）"
    assert annex_record == issue_record
    python = tmp_path / "python.xlsx"
    write_annex2(python, None, [issue_record])
    _same_cells("cooperation", annex, python)


# ---------------------------------------------------------------- contact data refused


def test_a_phone_number_in_a_text_area_is_refused_inline(form_page, tmp_path: Path, shot) -> None:
    answers = {**PROJECT, "working_principle": "详情请致电 139-1234-5678 咨询李医生。"}
    fill_form(form_page, "project", answers)
    error = form_page.locator("#sr-project-working_principle-error")
    expected = (
        "「工作原理/作用机理」中出现了手机号码（139****78）。公开数据不能包含个人联系方式，请删除，"
        "并在「联系途径」中填写单位的成果转化部门或平台。"
    )
    assert error.is_visible()
    assert error.inner_text().strip() == expected
    assert form_page.get_attribute("#sr-project-working_principle", "aria-invalid") == "true"
    assert form_page.locator("#sr-wf-project [data-sr=download]").is_disabled()
    github = form_page.locator("#sr-wf-project [data-sr=github]")
    assert github.get_attribute("href") is None
    assert github.get_attribute("aria-disabled") == "true"
    assert expected in form_page.inner_text("#sr-wf-project [data-sr=problems]")
    form_page.locator("#sr-project-working_principle").scroll_into_view_if_needed()
    shot(form_page, "webform-phone-refused")
    downloads: list[Any] = []
    form_page.on("download", lambda download: downloads.append(download))
    form_page.locator("#sr-wf-project [data-sr=download]").click(force=True)
    github.click(force=True)
    form_page.wait_for_timeout(300)
    assert downloads == [] and form_page.github == []
    # Typed as the person types (no leaving the field): refused at once, no required noise.
    form_page.fill("#sr-project-structure", "联系邮箱 li.test@example.com")
    form_page.wait_for_timeout(300)
    assert "电子邮箱（l***@example.com）" in form_page.inner_text("#sr-project-structure-error")
    # Split over two answers: refused in the summary.
    form_page.fill("#sr-project-structure", "支架主体、推送器。联系 139")
    form_page.fill("#sr-project-working_principle", "1234 5678 转 8 号")
    form_page.locator("#sr-wf-project h2").click()
    form_page.wait_for_timeout(300)
    assert "被拆在相邻的几个字段里" in form_page.inner_text("#sr-wf-project [data-sr=problems]")
    assert form_page.locator("#sr-wf-project [data-sr=download]").is_disabled()


def test_numbers_beside_each_other_only_by_the_order_of_fields_pass(form_page) -> None:
    """An address ending in a house number beside the credit code, or beside field codes
    01-04, is no mobile number to the validator, nor to the form; a number split between
    two answers with only choices between them is one to both."""
    fill_form(form_page, "enterprise", {**ENTERPRISE, "address": "广州市天河区体育西路139"})
    assert "被拆在" not in form_page.inner_text("#sr-wf-enterprise [data-sr=problems]")
    hong_kong = {k: v for k, v in ENTERPRISE.items() if k != "credit_code"}
    hong_kong.update(province="HK", address="香港九龙观塘道139", fields=["01", "02", "03", "04"])
    form_page.reload()
    fill_form(form_page, "enterprise", hong_kong)
    assert "被拆在" not in form_page.inner_text("#sr-wf-enterprise [data-sr=problems]")
    form_page.reload()
    split = {
        **PROJECT,
        "contact_route": "成果转化办公室139",
        "stage": "其他",
        "stage_note": "12345678",
    }
    fill_form(form_page, "project", split)
    assert "被拆在相邻的几个字段里" in form_page.inner_text("#sr-wf-project [data-sr=problems]")


def test_the_file_goes_to_the_office_of_the_programme_or_province_never_another(
    form_page,
) -> None:
    """The chosen programme's office, or the province's; a Sichuan project under the
    national programme is told to ask its own province, not sent to Fujian's office."""
    office = "#sr-wf-project [data-sr=office]"
    fill_form(form_page, "project", PROJECT)  # FJ-2025
    assert "福建省药品监督管理局" in form_page.inner_text(office)
    form_page.locator("#sr-wf-project [data-id='programme'] select").select_option("SH-2026")
    form_page.wait_for_timeout(300)
    assert "上海市药品监督管理局" in form_page.inner_text(office)
    form_page.locator("#sr-wf-project [data-id='programme'] select").select_option("NMPA-2026")
    form_page.locator("#sr-wf-project [data-id='province'] select").select_option("SC")
    form_page.wait_for_timeout(300)
    told = form_page.inner_text(office)
    assert "福建" not in told and "所在省份的药品监督管理局" in told
    assert form_page.locator("#sr-wf-project a[href='submit.html#channels']").count() == 1


def test_a_character_no_workbook_can_hold_is_refused_in_its_field(form_page) -> None:
    """U+FFFF cannot stand in a workbook (nor in the package's): the field refuses it, as
    the validator does, before anything is made of the answers."""
    fill_form(form_page, "project", PROJECT)
    assert state(form_page, "project")["ok"]
    notes = form_page.locator("#sr-wf-project [data-id='other_notes'] [name]")
    notes.fill("无\uffff。")
    form_page.locator("#sr-wf-project h2").click()  # leave the field
    now = state(form_page, "project")
    assert not now["ok"]
    assert "U+FFFF" in json.dumps(now["problems"], ensure_ascii=False)


def test_a_character_newer_than_the_validators_unicode_is_refused(form_page) -> None:
    """An outlined digit (Unicode 16) reads as 1 in the browser and as nothing in the
    validator: refused in its field with the validator's message, naming its Unicode."""
    import unicodedata

    fill_form(form_page, "project", PROJECT)
    notes = form_page.locator("#sr-wf-project [data-id='other_notes'] [name]")
    notes.fill("电话 \U0001ccf1\U0001ccf3\U0001ccf9 1234 5678")
    form_page.locator("#sr-wf-project h2").click()
    now = state(form_page, "project")
    problems = json.dumps(now["problems"], ensure_ascii=False)
    assert not now["ok"] and "U+1CCF1" in problems and unicodedata.unidata_version in problems


# ---------------------------------------------------------------- the GitHub form


def test_the_github_link_opens_the_form_with_every_answer(form_page, tmp_path: Path) -> None:
    fill_form(form_page, "project", PROJECT)
    link = form_page.locator("#sr-wf-project [data-sr=github]")
    href = link.get_attribute("href")
    assert href and len(href) <= 8000
    parts = urlsplit(href)
    repository = settings().repository
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == repository + "/issues/new"
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    assert query["template"] == "1-project.yml"
    assert query["title"] == "[项目申报] " + PROJECT["project_name"]
    spec = {el["id"]: el for el in _spec(form_page)["forms"][0]["elements"]}
    for element_id, value in PROJECT.items():
        el = spec[element_id]
        if el["widget"] == "checkbox":
            assert element_id not in query  # pledges are ticked by the submitter on GitHub
            continue
        labels = dict(map(tuple, el["options"]))
        if el["widget"] == "multi":
            wanted = ", ".join(labels[code] for code in value)
        elif el["options"]:
            wanted = labels[value]
        else:
            wanted = value
        assert query[element_id] == wanted, element_id
    # What the address carries is every answer: rendered as GitHub renders the form (the
    # pledges ticked there by the submitter), it makes the record the page's own body makes.
    sections = []
    for el in form_elements("project"):
        if el.widget == "checkbox":
            text = f"- [X] {checkbox_option(el)}"
        else:
            text = query.get(el.id) or issues.NO_RESPONSE
        sections.append(f"### {el.label}\n\n{text}")
    from_address = "\n\n".join(sections) + "\n"
    records = []
    for name, body in (("address", from_address), ("page", state(form_page, "project")["body"])):
        outcome = issues.run_intake("project", body, _data(tmp_path, name), AUTHOR, 12, TODAY)
        assert outcome.ok, outcome.comment
        records.append(orjson.loads(outcome.path.read_bytes()))
    assert records[0] == records[1]
    form_page.goto(href)
    assert form_page.github == [href]


def test_answers_too_long_for_an_address_are_copied(browser, form_url: str, tmp_path: Path) -> None:
    context, page = _context(browser)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(form_url)
    page.wait_for_selector("#sr-webform:not([hidden])")
    long = {
        name: ("很长的说明。" * 400)[:2000] for name in ("structure", "clinical_need", "progress")
    }
    fill_form(page, "project", {**PROJECT, **long})
    assert state(page, "project")["ok"]
    assert page.locator("#sr-wf-project [data-sr=github]").is_hidden()
    assert "无法全部放进" in page.inner_text("#sr-wf-project [data-sr=longnote]")
    blank = page.get_attribute("#sr-wf-project [data-sr=blank]", "href")
    assert blank.startswith(settings().repository + "/issues/new?title=")
    page.click("#sr-wf-project [data-sr=copy]")
    page.wait_for_function(
        "document.querySelector('#sr-wf-project [data-sr=copied]').textContent !== ''"
    )
    body = page.evaluate("() => navigator.clipboard.readText()")
    context.close()
    # Pasted into a blank issue, the body is recognised and taken in.
    assert issues.detect_form(body) == "project"
    outcome = issues.run_intake("project", body, _data(tmp_path, "issue"), AUTHOR, 14, TODAY)
    assert outcome.ok, outcome.comment


# ---------------------------------------------------------------- hostile input


def test_hostile_input_stays_text_and_bounded(form_page) -> None:
    choose_form(form_page, "project")
    form_page.fill("#sr-project-project_name", HOSTILE.replace("\n", " ")[:190])
    form_page.fill("#sr-project-institution", "\u202e医院\u0000")
    structure = "𠀀𠀁 emoji 🙂 組合 e\u0301 " + "长" * 100_000
    form_page.fill("#sr-project-structure", structure)
    form_page.fill("#sr-project-intended_use", "用途\n### 单位名称\n更多")
    form_page.fill("#sr-project-clinical_need", "=SUM(A1)")
    form_page.fill("#sr-project-city", "{{ 7*7 }}")
    form_page.locator("#sr-wf-project h2").click()
    form_page.wait_for_timeout(500)
    problems = form_page.inner_text("#sr-wf-project [data-sr=problems]")
    assert f"「产品结构组成」过长：现有 {len(structure)} 字，上限 5000 字" in problems
    assert "零宽字符或文字方向控制字符（U+202E）" in problems
    assert "不可见的控制字符（U+0000）" in problems
    assert "以“=”开头" in problems
    assert "与本表的栏目标题相同" in problems
    assert (
        form_page.locator("#sr-injected, #sr-injected-link, svg[onload], img[onerror]").count() == 0
    )
    preview = form_page.locator("#sr-wf-project [data-sr=preview]").text_content()
    assert '<script>alert("xss")</script>' in preview and "{{ 7*7 }}" in preview
    assert form_page.locator("#sr-wf-project [data-sr=download]").is_disabled()
    # A date answer that quotes markup back: quoted as text.
    choose_form(form_page, "enterprise")
    form_page.fill(
        "#sr-enterprise-registration_date", '<img src=x onerror="alert(1)" id="sr-injected">'
    )
    form_page.locator("#sr-wf-enterprise h2").click()
    form_page.wait_for_timeout(300)
    assert "不是日期" in form_page.inner_text("#sr-enterprise-registration_date-error")
    assert form_page.locator("#sr-injected, img[onerror]").count() == 0


def test_answers_named_in_the_address_are_filled_in(browser, form_url: str) -> None:
    """A project page may link to form.html?form=cooperation&project=…, as it links to the
    GitHub form; a choice not on the list and the pledges are never filled in."""
    context, page = _context(browser)
    query = urlencode(
        {
            "form": "cooperation",
            "project": "GD-2025-0001",
            "modes": "技术转让,联合开发,抢劫",
            "enterprise": '<img src=x onerror="alert(1)" id="sr-injected">',
        }
    )
    page.goto(f"{form_url}?{query}&commitment=yes")
    page.wait_for_selector("#sr-wf-cooperation:not([hidden])")
    assert page.input_value("#sr-cooperation-project") == "GD-2025-0001"
    checked = page.eval_on_selector_all(
        "[data-id=modes] input:checked", "boxes => boxes.map(b => b.value)"
    )
    assert checked == ["技术转让", "联合开发"]
    assert "格式不正确" in page.inner_text("#sr-cooperation-enterprise-error")
    assert page.locator("#sr-injected, img[onerror]").count() == 0
    assert page.dialogs == []
    context.close()


@pytest.mark.parametrize("width", [1366, 375])
def test_one_click_on_a_checked_field_takes_the_reader_there(
    browser, form_url: str, width: int
) -> None:
    """Typing in a field, then clicking another field's line in the check list: the click
    is not lost to the redraw the typing's end makes, and the field is focused below the
    sticky header."""
    context, page = _context(browser, width=width, height=800)
    page.goto(form_url)
    page.fill("#sr-project-project_name", "测试用项目")
    page.wait_for_timeout(300)  # a reader's pause: the list has caught up with the typing
    page.locator("#sr-wf-project [data-sr=problems]").scroll_into_view_if_needed()
    link = page.locator("#sr-wf-project [data-sr=problems] a[href='#sr-project-contact_route']")
    link.first.click()
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.id") == "sr-project-contact_route"
    header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    label = page.locator("label[for='sr-project-contact_route']").bounding_box()
    assert label is not None and label["y"] >= header
    context.close()


@pytest.mark.parametrize("name", ["__proto__", "toString", "constructor", "nothing"])
def test_a_form_the_page_does_not_have_leaves_the_first_form_shown(
    browser, form_url: str, name: str
) -> None:
    context, page = _context(browser)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{form_url}?form={name}")
    page.wait_for_timeout(300)
    assert page.locator("#sr-wf-project").is_visible() and errors == []
    context.close()


# ---------------------------------------------------------------- the page itself


@pytest.mark.parametrize("width", [1366, 375])
def test_the_page_fits_and_works_by_keyboard(browser, form_url: str, width: int, shot) -> None:
    context, page = _context(browser, width=width, height=800)
    page.goto(form_url)
    page.wait_for_selector("#sr-webform:not([hidden])")
    assert_layout(page)
    shot(page, "webform")
    # Every control has a label tied to it, or sits in a fieldset with a legend.
    unlabelled = page.evaluate(
        """() => Array.from(document.querySelectorAll('#sr-webform input, #sr-webform select, #sr-webform textarea'))
          .filter(c => !(c.labels && c.labels.length) && !c.closest('fieldset legend'))
          .map(c => c.id || c.name)"""
    )
    assert unlabelled == []
    # By keyboard: focus the first field, type, leave with Tab: the message is shown there.
    page.focus("#sr-project-programme")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "sr-project-project_name"
    page.keyboard.type("联系 13912345678")
    page.keyboard.press("Tab")
    page.wait_for_timeout(200)
    assert "手机号码" in page.inner_text("#sr-project-project_name-error")
    page.locator("#sr-project-project_name").scroll_into_view_if_needed()
    shot(page, "webform-typed")
    assert_layout(page)
    if AXE.is_file():
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        bad = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, bad
    context.close()


def test_without_javascript_the_page_points_to_the_forms_and_templates(
    browser, form_url: str
) -> None:
    context, page = _context(browser, java_script_enabled=False)
    page.goto(form_url)
    text = page.inner_text("article")
    assert "需要浏览器启用 JavaScript" in text
    assert page.locator("#sr-webform").is_hidden()
    forms = page.eval_on_selector_all("noscript a", "els => els.map(e => e.href)")
    assert any("template=1-project.yml" in href for href in forms)
    templates = [href for href in forms if href.endswith(".xlsx")]
    assert len(templates) == 2
    for href in templates:
        response = page.request.get(href)
        assert response.status == 200 and response.body()[:2] == b"PK"
    context.close()
