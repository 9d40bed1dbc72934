"""Helpers the spreadsheet tests share (``test_sheets_*``, ``test_fujian*``, ``test_export*``
import them), and the checks that the helpers find what they claim to."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import orjson
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from springrain.config import DATA_DIR
from springrain.intake.sheets.importer import import_file
from springrain.intake.sheets.writer import write_annex1, write_annex2

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sheets"
TODAY = dt.date(2026, 6, 1)
SHEET_PART = "xl/worksheets/sheet1.xml"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def fixture(name: str) -> dict[str, Any]:
    return orjson.loads((FIXTURES / f"{name}-full.json").read_bytes())


KINDS = ("project", "enterprise", "cooperation")


def make_data(
    tmp_path: Path, *, records: bool | tuple[str, ...] = False, name: str = "data"
) -> Path:
    """A data directory with the real hand-kept tables (and the fixture records: all of
    them, or those of the kinds named)."""
    target = tmp_path / name
    target.mkdir()
    for table in DATA_DIR.glob("*.csv"):
        shutil.copy(table, target / table.name)
    kinds = KINDS if records is True else records or ()
    for kind in kinds:
        record = fixture(kind)
        folder = {"project": f"projects/{record.get('province')}"}.get(kind, f"{kind}s")
        (target / folder).mkdir(parents=True, exist_ok=True)
        (target / folder / f"{record['id']}.json").write_bytes(
            orjson.dumps(record, option=orjson.OPT_INDENT_2) + b"\n"
        )
    return target


def run_import(path: Path, data: Path, **options: Any):
    options.setdefault("author", "li-test")
    options.setdefault("today", TODAY)
    return import_file(path, data, options.pop("out", data), **options)


def load(path: Path) -> dict[str, Any]:
    return orjson.loads(path.read_bytes())


# ---------------------------------------------------------------- filling a form


def first_line(value: object) -> str:
    return str(value).split("\n")[0] if value is not None else ""


def answer_cell(ws: Worksheet, label: str, occurrence: int = 0) -> Cell:
    """The answer cell of the label ``label`` (the cell right of it, after a merged label)."""
    seen = 0
    for row in ws.iter_rows():
        for cell in row:
            if first_line(cell.value) != label:
                continue
            if seen < occurrence:
                seen += 1
                continue
            column = cell.column
            for merged in ws.merged_cells.ranges:
                if cell.coordinate in merged:
                    column = merged.max_col
            return ws.cell(cell.row, column + 1)
    raise KeyError(label)


def tick(text: str, *choices: str, mark: str = "☑") -> str:
    """``text`` (□a □b …) with the boxes of ``choices`` ticked."""
    for choice in choices:
        text = re.sub(rf"□{re.escape(choice)}(?=\s|（|$)", f"{mark}{choice}", text)
    return text


Answer = str | int | float | Callable[[str], str] | None


def fill(path: Path, answers: Mapping[str, Answer], *, sheet: str | None = None) -> Path:
    """Type ``answers`` into the form at ``path`` as a person would: label → text, or a
    function of what the cell holds (to tick its boxes)."""
    wb = load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    for label, value in answers.items():
        cell = answer_cell(ws, label)
        cell.value = value(str(cell.value or "")) if callable(value) else value
    wb.save(path)
    return path


def template(path: Path, annex: str = "annex1") -> Path:
    return write_annex1(path) if annex == "annex1" else write_annex2(path)


# The answers of the project fixture, as a person fills them into the annex 1 template.
PROJECT_ANSWERS: dict[str, Answer] = {
    "项目名称": "测试用可降解输尿管支架",
    "单位名称": "测试用第一医院",
    "所在城市": "福州市",
    "项目负责人": "李测试",
    "所在部门（科室）": "泌尿外科",
    "项目类型": lambda t: tick(t, "无源"),
    "产品分类（Ⅰ/Ⅱ/Ⅲ类医疗器械，药械组合，待确定）": "第三类医疗器械",
    "项目所处阶段": lambda t: t.replace("□其他（　　）", "☑其他（动物实验阶段）"),
    "工作原理/作用机理": "支架在体内逐步降解，无需二次手术取出。\n降解周期约 4 周。",
    "适用范围/预期用途": "用于输尿管镜术后引流。",
    "承诺书": lambda t: tick(t, "同意"),
    "是否愿意在平台发布": lambda t: tick(t, "是"),
    "所属行动方案": "FJ-2025 福建省推进医疗器械临床研究成果转化实施方案",
    "所在省份": "福建省",
    "联系途径": "测试用第一医院成果转化办公室",
}


# The answers of the enterprise and cooperation fixtures, as an enterprise fills annex 2.
ENTERPRISE_ANSWERS: dict[str, Answer] = {
    "企业名称": "测试用医疗科技有限公司",
    "通讯地址": "福建省福州市测试路1号",
    "统一社会信用代码": "91350100M000100Y43",
    "所属领域": lambda t: tick(t, "无源植入器械", "医用软件"),
    "法人姓名": "赵测试",
    "注册资金": 1000,
    "注册时间": "2015-03-08",
    "高新技术企业": lambda t: tick(t, "是"),
    "专精特新企业": lambda t: tick(t, "省级"),
    "企业概况": "测试用企业概况：专注可降解植入器械。",
    "项目名称": "测试用可降解输尿管支架",
    "项目申报机构/人": "测试用第一医院",
    "1.已开展的工作": "完成技术评估和样品试制。",
    "2.所处阶段": "样品阶段。",
    "3.投入资金和人力": "投入资金 200 万元，人员 5 人。",
    "4.仪器和设备": "挤出机、灭菌设备。",
    "5.生产条件": "已有十万级洁净车间。",
    "6.其他": "计划明年进入注册检验。",
    "合作方式": lambda t: tick(t, "技术转让", "联合开发"),
    "所在省份": "福建省",
    "已注册或生产的产品类别": lambda t: tick(t, "第二类医疗器械", "第三类医疗器械"),
    "可接受的合作方式": lambda t: tick(t, "技术转让", "联合开发", "委托研发"),
    "业务覆盖地区": lambda t: tick(t, "福建省", "广东省"),
    "联系途径": "企业商务拓展部",
}


# ---------------------------------------------------------------- hostile workbooks


def base_workbook() -> bytes:
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.active["A1"] = "x"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def patched(path: Path, parts: Mapping[str, bytes | str], source: bytes | None = None) -> Path:
    """A workbook whose members ``parts`` are replaced (or added)."""
    with (
        zipfile.ZipFile(io.BytesIO(source or base_workbook())) as zin,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            if info.filename not in parts:
                zout.writestr(info.filename, zin.read(info.filename))
        for name, content in parts.items():
            zout.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return path


def cell_xml(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def sheet_xml(rows: str, *, dimension: str = "A1:A1", before: str = "", after: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
        f'<dimension ref="{dimension}"/>{before}<sheetData>{rows}</sheetData>{after}</worksheet>'
    )


def rows_of(values: list[list[str]], start: int = 1, attrs: Mapping[int, str] | None = None) -> str:
    """Rows of inline-string cells from row ``start``; ``attrs``: extra <row> attributes."""
    out = []
    for offset, row in enumerate(values):
        number = start + offset
        cells = "".join(
            cell_xml(f"{chr(65 + column)}{number}", text) for column, text in enumerate(row) if text
        )
        extra = (attrs or {}).get(number, "")
        out.append(f'<row r="{number}"{" " + extra if extra else ""}>{cells}</row>')
    return "".join(out)


# ---------------------------------------------------------------- the helpers' own checks


def test_fill_finds_every_label_of_the_template(tmp_path: Path) -> None:
    path = fill(template(tmp_path / "a.xlsx"), PROJECT_ANSWERS)
    ws = load_workbook(path).worksheets[0]
    assert answer_cell(ws, "项目名称").value == "测试用可降解输尿管支架"
    assert "☑无源" in answer_cell(ws, "项目类型").value
    assert "☑其他（动物实验阶段）" in answer_cell(ws, "项目所处阶段").value


def test_patched_workbook_holds_the_part(tmp_path: Path) -> None:
    path = patched(tmp_path / "b.xlsx", {SHEET_PART: sheet_xml(rows_of([["a", "b"]]))})
    assert load_workbook(path).worksheets[0]["B1"].value == "b"
