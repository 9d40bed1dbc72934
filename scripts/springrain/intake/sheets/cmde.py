"""The list of class III projects ready for reporting to CMDE (报送国家局器审中心的产品清单),
per programme, as a workbook.

Which projects: those of the programme whose product class is class III
(``validate.checks.fields.CLASS_III``) and whose status history reached the status with the
role ``finalised`` (产品定型) or one after it on the main path
(``statuses.at_or_after("finalised")``), except those that have since left the pipeline
(a current status with the role ``withdrawn``). The finalisation date is the date of the
first such event. 沪药监械注〔2026〕69号 and the Guangdong plan report class III products to
CMDE once finalised.

Layout (sheet 产品清单): row 1 the list's title with the programme, row 2 the column
headers, one project a row from row 3, ordered by finalisation date then id. Columns, each
titled from the schemas: 项目编号, 项目名称, 单位名称, 产品分类, 分类目录子目录, 项目所处阶段,
产品定型日期 (the finalised status's label + 日期), 进入的注册通道 (each channel with its date),
上报国家局器审中心日期 (empty until reported). Text cells are strings, never formulas.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from springrain.intake.sheets.annexes import DEMO_MARK
from springrain.intake.sheets.writer import put, save_workbook
from springrain.model import statuses
from springrain.model.schemas import field_label, fields, vocabulary, vocabulary_labels
from springrain.validate.checks.fields import CLASS_III

TITLE = "报送国家局器审中心的产品清单"
SHEET = "产品清单"
COLUMNS = (
    "id",
    "project_name",
    "institution",
    "product_class",
    "category",
    "stage",
    "finalised",
    "regulatory_channels",
    "cmde_reported",
)
WIDTHS = (14, 36, 28, 16, 22, 14, 14, 36, 18)


def finalised_label() -> str:
    """产品定型日期: the label of the status with the role ``finalised``, and 日期."""
    code = statuses.the("finalised")
    label = next(row["zh"] for row in vocabulary("statuses") if row["code"] == code)
    return f"{label}日期"


def headers() -> list[str]:
    titles = {f.name: f.title_zh for f in fields("project")}
    return [finalised_label() if name == "finalised" else titles[name] for name in COLUMNS]


def finalised_on(project: Mapping[str, Any]) -> str | None:
    """The date of the first history event at or after finalisation, or None."""
    reached = statuses.at_or_after("finalised")
    for event in project.get("history") or ():
        if isinstance(event, Mapping) and event.get("status") in reached:
            return str(event.get("date"))
    return None


def ready(
    projects: Iterable[Mapping[str, Any]], programme: str
) -> list[tuple[str, Mapping[str, Any]]]:
    """(finalisation date, project) of every project ready for reporting, in list order."""
    withdrawn = set(statuses.with_role("withdrawn"))
    found = []
    for project in projects:
        if project.get("programme") != programme or project.get("product_class") != CLASS_III:
            continue
        if project.get("status") in withdrawn:
            continue
        date = finalised_on(project)
        if date:
            found.append((date, project))
    found.sort(key=lambda item: (item[0], str(item[1].get("id"))))
    return found


def _row(date: str, project: Mapping[str, Any]) -> list[Any]:
    labels = {
        "product_class": vocabulary_labels("classes"),
        "stage": vocabulary_labels("stages"),
        "category": vocabulary_labels("categories"),
    }
    channels = vocabulary_labels("channels")
    row: list[Any] = []
    for name in COLUMNS:
        value = project.get(name)
        if name == "finalised":
            row.append(date)
        elif name == "regulatory_channels":
            row.append(
                "；".join(
                    f"{channels.get(str(c.get('channel')), c.get('channel'))}（{c.get('date')}）"
                    for c in value or ()
                    if isinstance(c, Mapping)
                )
            )
        elif name == "category" and value:
            row.append(f"{value} {labels['category'].get(str(value), '')}".strip())
        elif name in labels and value:
            row.append(labels[name].get(str(value), str(value)))
        else:
            row.append("" if value is None else str(value))
    return row


def write_cmde_list(
    path: Path, projects: Iterable[Mapping[str, Any]], programme: Mapping[str, str]
) -> tuple[Path, int]:
    """Write the list for ``programme`` (a row of programmes.csv); returns (path, projects)."""
    listed = ready(projects, programme["id"])
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    demo = any(project.get("demo") for _, project in listed)
    title = f"{TITLE}：{programme.get('name_zh', '')}（{programme['id']}），共 {len(listed)} 项"
    if demo:
        title += f"（{DEMO_MARK}）"
    put(ws, 1, 1, title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    for column, header in enumerate(headers(), start=1):
        cell = put(ws, 2, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row, (date, project) in enumerate(listed, start=3):
        for column, value in enumerate(_row(date, project), start=1):
            put(ws, row, column, value).alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(2, column).column_letter].width = width
    ws.freeze_panes = "A3"
    return save_workbook(wb, path), len(listed)


def column_titles_en() -> list[str]:
    """The columns in English, for the command's help."""
    return [
        "Finalisation date" if name == "finalised" else field_label("project", "/" + name)[1]
        for name in COLUMNS
    ]
