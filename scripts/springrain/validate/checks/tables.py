"""The hand-kept CSV tables (programmes, targets, reported figures) against their Table Schemas.

frictionless does the checking, foreign keys included; its notes are English, so each
finding gives the Chinese place and title and keeps frictionless's note on the English line.
"""

from __future__ import annotations

import csv
from pathlib import Path

from springrain.model import tables
from springrain.validate.checks.registry import Check, Finding, TableContext, register, rule

TABLE_INVALID = rule(
    "table.invalid",
    "error",
    "表格数据不符",
    "{where}「{field}」：{problem_zh}请按表结构 schemas/tables/{table}.table.json 修改。",
    "{where_en} {field_name}: {note}",
)

PROBLEM_ZH = {
    "type-error": "类型或格式不对（日期写作 YYYY-MM-DD，整数不带小数点）。",
    "constraint-error": "不符合取值约束（必填、可选值或格式）。",
    "primary-key": "编号重复。",
    "foreign-key": "引用的行动方案不存在于 programmes.csv。",
    "unique-error": "值重复。",
    "missing-cell": "缺少单元格。",
    "extra-cell": "多出单元格。",
    "blank-row": "整行为空。",
    "incorrect-label": "表头与表结构不一致。",
    "missing-label": "缺少表头列。",
    "extra-label": "多出表头列。",
    "duplicate-label": "表头列重复。",
    "encoding-error": "不是 UTF-8 编码（请在表格软件中另存为“CSV UTF-8（逗号分隔）”）。",
}


def check(data_dir: Path, present: list[str], display) -> list[Finding]:
    """Every hand-kept table present against its Table Schema, foreign keys included."""
    if not present:
        return []
    from frictionless import Package, Resource, Schema  # slow import: only when tables exist

    resources = [
        Resource(
            path=tables.file_name(name),
            name=name,
            schema=Schema.from_descriptor(tables.table_schema(name)),
        )
        for name in present
    ]
    if "programmes" not in present:
        for resource in resources:
            resource.schema.foreign_keys = []
    package = Package(resources=resources, basepath=str(data_dir))
    report = package.validate()
    findings = [finding for name in present for finding in as_read(data_dir, name, display)]
    # A cell both find wrong is reported once, with the build's own reading of it.
    said = {(finding.file, finding.pointer) for finding in findings}
    for task in report.tasks:
        name = task.name or ""
        file = display(data_dir / tables.file_name(name))
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field_name = getattr(error, "field_name", "") or ""
            pointer = f"/{row}/{field_name}" if row else ""
            if (file, pointer) in said:
                continue
            title = field_title(name, field_name)
            where = f"第 {row} 行" if row else "表头"
            where_en = f"row {row}" if row else "header"
            findings.append(
                TABLE_INVALID.at(
                    file,
                    pointer,
                    where=where,
                    where_en=where_en,
                    field=title,
                    field_name=field_name,
                    problem_zh=PROBLEM_ZH.get(error.type, "不符合表结构。"),
                    note=error.message,
                    table=name,
                )
            )
    return findings


def field_title(name: str, field: str) -> str:
    """The Chinese title of column ``field`` of table ``name`` (the name when it has none)."""
    for column in tables.table_schema(name)["fields"]:
        if column["name"] == field:
            return column.get("title") or field
    return field


# Cells frictionless takes but the build reads otherwise: what is wrong, in both languages.
FORM_PROBLEM = {
    "date": (
        "“{value}”不是真实存在的日期，请写作 YYYY-MM-DD（半角数字）。",
        "{value!r} is not a real date written YYYY-MM-DD in ASCII digits",
    ),
    "integer": (
        "“{value}”不是整数，请用半角数字书写（最多 18 位，不带小数点）。",
        "{value!r} is not a whole number written in ASCII digits (at most 18)",
    ),
}


def as_read(data_dir: Path, name: str, display) -> list[Finding]:
    """What the build would meet reading the table (``tables.read_rows``): a file that is
    no UTF-8 or no CSV, and cells frictionless takes but the build reads otherwise or not
    at all (``tables.malformed_cells``)."""
    path = data_dir / tables.file_name(name)
    file = display(path)

    def finding(pointer: str, where: str, where_en: str, field: str, zh: str, note: str):
        return TABLE_INVALID.at(
            file,
            pointer,
            where=where,
            where_en=where_en,
            field=field_title(name, field) or tables.file_name(name),
            field_name=field or tables.file_name(name),
            problem_zh=zh,
            note=note,
            table=name,
        )

    try:
        rows = tables.read_rows(path)
    except UnicodeDecodeError as error:
        zh = PROBLEM_ZH["encoding-error"]
        return [finding("", "文件", "file", "", zh, f"not UTF-8: {error.reason}")]
    except (OSError, csv.Error) as error:
        return [
            finding("", "文件", "file", "", "无法按 CSV 读取。", f"cannot be read as CSV: {error}")
        ]
    return [
        finding(
            f"/{number}/{field}",
            f"第 {number} 行",
            f"row {number}",
            field,
            FORM_PROBLEM[kind][0].format(value=value[:40]),
            FORM_PROBLEM[kind][1].format(value=value[:40]),
        )
        for number, field, kind, value in tables.malformed_cells(name, rows)
    ]


@register
class TableSchemas(Check):
    """The hand-kept tables against their Table Schemas (frictionless); their cells also
    pass every text check, as the strings of a record do."""

    inspects = "table"
    rules = (TABLE_INVALID,)

    def check(self, context: TableContext) -> list[Finding]:
        return check(Path(context.data_dir), list(context.names), context.display)
