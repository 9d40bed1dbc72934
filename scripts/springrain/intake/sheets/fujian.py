"""The Fujian annexes as spreadsheets: a filled 附件1 becomes a project record, a filled 附件2
an enterprise record and one cooperation record per project it names.

The answers a form sheet gives (``formsheet``) go through the same steps as an issue-form
answer (``intake.issues.answer_value``), so an annex and an issue with the same answers make
the same record; then the record is checked against its schema (the validator's words) and
the catalogue. All or nothing: when any answer is refused, nothing of the file is written,
and the report lists every answer to fix, by cell. A record that duplicates one already in
the catalogue (same project name and institution; an enterprise's credit code or name; a
cooperation of the same project and enterprise) is not written again: an enterprise found
is linked to, not rewritten. Fields the record needs and the file does not give are listed
for the regulator to complete; until then the record fails validation, so it cannot be
merged half-filled. The programme and province a project lacks come from the command line,
else from the annex's own document (闽药监器械〔2025〕18号, a row of programmes.csv).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from springrain.intake.forms import Element, elements
from springrain.intake.issues import Problem, answer_value
from springrain.intake.sheets import layout as layouts
from springrain.intake.sheets.annexes import DOCUMENT, PROJECT_INSTITUTION, PROJECT_NAME
from springrain.intake.sheets.cells import excerpt, one_line, record_refusal
from springrain.intake.sheets.formsheet import (
    Context,
    Read,
    cell_text_safe,
    locate,
    read_answers,
)
from springrain.intake.sheets.layout import Answer
from springrain.intake.sheets.records import (
    Existing,
    compare_key,
    existing,
    import_source,
    programme_of_document,
    province_of,
)
from springrain.intake.sheets.report import (
    MAX_LISTED,
    FormReport,
    Written,
    hidden_lines,
    more_line,
    workbook_lines,
)
from springrain.intake.sheets.workbook import Sheet, Workbook
from springrain.model import statuses
from springrain.model.kinds import schema_version
from springrain.model.records import UnsafeWrite, write_record
from springrain.model.schemas import field_label
from springrain.validate.checks import schema as schema_rules

# ---------------------------------------------------------------- values and records


# A form has a few dozen labels, a few hundred with many cooperation blocks.
MAX_LABELS = 2_000


def _put(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target = record
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


PROBLEM_EN = {
    "number": "not a number this form accepts (digits only, e.g. 1000)",
    "date": "not a date; write YYYY-MM-DD, e.g. 2025-06-13",
    "list": "a line of the list could not be read; see the format in the Chinese message",
}


def values(ctx: Context, kind: str, read: Read) -> dict[str, Any] | None:
    """The record fields ``read`` gives, parsed as intake parses an issue's answers; None
    when an answer cannot be read (with a line each)."""
    record: dict[str, Any] = {}
    ok = True
    for answer in ctx.form.answers():
        el: Element | None = answer.element
        if el is None or answer.kind != kind:
            continue
        raw = read.sections.get(el.id)
        if raw is None or raw == "":
            continue
        problems: list[Problem] = []
        try:
            value = answer_value(el, raw, problems)
        except (ValueError, OverflowError, TypeError):  # a parser bug must not crash an import
            value, problems = None, [Problem(el.label, "无法读取这个答案，请检查格式。")]
        for problem in problems:
            ok = False
            ctx.refuse(
                read.where.get(el.id),
                answer,
                problem.message_zh,
                PROBLEM_EN.get(answer.style, "the answer cannot be read; see the Chinese message"),
            )
        if value is not None:
            _put(record, el.path, value)
    for field_id in ctx.form.embedded:
        note = read.sections.get(field_id)
        el = next((e for e in elements(kind) if e.id == field_id), None)
        if note and el is not None:
            _put(record, el.path, one_line(note))
    return record if ok else None


def _contact_check(ctx: Context, kind: str, record: dict[str, Any], what: str) -> bool:
    refusal = record_refusal(kind, record)
    if refusal:
        ctx.refuse(None, None, f"{what}：{refusal[0]}", refusal[1])
        return False
    return True


def _check_record(ctx: Context, kind: str, record: dict[str, Any], read: Read) -> list[str] | None:
    """The titles of the required fields ``record`` lacks, or None when a field breaks a
    schema rule (with a line each, in the validator's words)."""
    missing: list[str] = []
    ok = True
    for finding in schema_rules.check("", kind, record):
        if finding.rule == schema_rules.REQUIRED.code:
            missing.append(field_label(kind, finding.pointer)[0])
            continue
        parts = [p for p in finding.pointer.split("/") if p]
        answer = next(
            (
                a
                for a in ctx.form.answers()
                if a.element is not None
                and a.kind == kind
                and tuple(parts[: len(a.element.path)]) == a.element.path
            ),
            None,
        )
        at = read.where.get(answer.field) if answer else None
        ctx.refuse(at, answer, finding.message_zh, finding.message_en)
        ok = False
    return list(dict.fromkeys(missing)) if ok else None


@dataclass
class Options:
    """What the command line adds to a form: the programme, the province, the importer."""

    data_dir: Path
    out_dir: Path
    programme: str | None
    province: str | None
    author: str | None
    today: dt.date


def _programme_and_province(
    ctx: Context, record: dict[str, Any], options: Options, read: Read
) -> bool:
    """Fill in the programme and province the form leaves out; False on a conflict."""
    given = record.get("programme")
    if given and options.programme and given != options.programme:
        ctx.refuse(
            read.where.get("programme"),
            _answer(ctx, "programme"),
            f"表中填的是 {given}，与命令行 --programme {options.programme} 不一致；请核对后重新导入",
            f"the form names {given}, the command line --programme {options.programme}",
        )
        return False
    if not given:
        programme = options.programme or programme_of_document(options.data_dir, DOCUMENT)
        if programme:
            record["programme"] = programme
            source = "命令行 --programme" if options.programme else f"附件出处 {DOCUMENT}"
            ctx.note(
                f"表中没有「所属行动方案」，取 {programme}（{source}）",
                f"the form names no programme; {programme} is used",
            )
    province = record.get("province")
    if province and options.province and province != options.province:
        ctx.refuse(
            read.where.get("province"),
            _answer(ctx, "province"),
            f"表中填的是 {province}，与命令行 --province {options.province} 不一致；请核对后重新导入",
            f"the form names {province}, the command line --province {options.province}",
        )
        return False
    if not province:
        province = options.province or province_of(options.data_dir, record.get("programme", ""))
        if province:
            record["province"] = province
            ctx.note(
                f"表中没有「所在省份」，取 {province}（"
                + ("命令行 --province" if options.province else "行动方案所在省份")
                + "）",
                f"the form names no province; {province} is used",
            )
    return True


def _answer(ctx: Context, field_id: str) -> Answer | None:
    return next((a for a in ctx.form.answers() if a.field == field_id), None)


def _write(ctx: Context, options: Options, kind: str, record: dict[str, Any]) -> Path | None:
    try:
        return write_record(options.out_dir, kind, record)
    except UnsafeWrite as refused:
        ctx.refuse(None, None, refused.message_zh, refused.message_en)
        return None


def _project(ctx: Context, options: Options, read: Read, known: Existing) -> None:
    record = values(ctx, "project", read)
    if record is None or not _contact_check(ctx, "project", record, "项目"):
        return
    if not _programme_and_province(ctx, record, options, read):
        return
    province = record.get("province")
    if not province:
        ctx.refuse(
            None,
            _answer(ctx, "province"),
            "无法确定所在省份：表中没有填写，也无法从行动方案得出。请在表中填写，或用 --province 指定后重新导入",
            "the province is neither in the form nor known from the programme; pass --province",
        )
        return
    key = (
        compare_key(str(record.get("project_name", ""))),
        compare_key(str(record.get("institution", ""))),
    )
    if all(key) and key in known.projects:
        ctx.refuse(
            None,
            None,
            f"项目「{excerpt(record['project_name'], 40)}」（{excerpt(record['institution'], 30)}）"
            f"已收录为 {known.projects[key]}，没有重复导入。如需更新，请修改该记录或使用「信息更正」",
            f"the project is already in the catalogue as {known.projects[key]}; not imported again",
        )
        return
    today = options.today
    new_id = known.new_id("project", province=province, year=f"{today.year:04d}")
    status = statuses.initial("project")
    full: dict[str, Any] = {"id": new_id, "schema_version": schema_version(), **record}
    full["submitted"] = today.isoformat()
    if options.author:
        full["submitted_by"] = options.author
    full["status"] = status
    full["history"] = [
        {
            "date": today.isoformat(),
            "status": status,
            "source": import_source(ctx.book.name, f"附件{ctx.form.annex.number}"),
        }
    ]
    missing = _check_record(ctx, "project", full, read)
    if missing is None:
        return
    path = _write(ctx, options, "project", full)
    if path is not None:
        known.add("project", full)
        ctx.report.written.append(Written("project", new_id, path, missing))


def _enterprise(
    ctx: Context, options: Options, read: Read, known: Existing
) -> tuple[str | None, dict[str, Any] | None]:
    """The enterprise's id (new, or found in the catalogue) and the record to write."""
    record = values(ctx, "enterprise", read)
    shared = values(ctx, "cooperation", read) or {}
    if record is None or not _contact_check(ctx, "enterprise", record, "企业"):
        return None, None
    given_id = shared.get("enterprise")
    if given_id:
        if given_id not in known.ids.get("enterprise", set()):
            ctx.refuse(
                read.where.get("enterprise"),
                _answer(ctx, "enterprise"),
                f"目录中没有编号为 {excerpt(str(given_id))} 的企业；请核对编号，或留空以登记为新企业",
                f"no enterprise {given_id} in the catalogue; check the id or leave it empty",
            )
            return None, None
        ctx.report.written.append(
            Written(
                "enterprise",
                given_id,
                None,
                note="表中填写的企业编号，企业信息没有改动 / the form's id; not changed",
            )
        )
        return given_id, None
    if not record:
        return None, None
    if options.province and not record.get("province"):
        record["province"] = options.province
        ctx.note(
            f"表中没有企业「所在省份」，取命令行 --province {options.province}",
            f"the form names no province; {options.province} is used",
        )
    found = known.enterprise(str(record.get("name", "")), str(record.get("credit_code", "")))
    if found:
        ctx.report.written.append(
            Written(
                "enterprise",
                found,
                None,
                note=f"企业「{excerpt(str(record.get('name', '')), 40)}」已登记为 {found}，企业信息没有改动"
                "（如需更新，请使用「信息更正」）/ already registered; not changed",
            )
        )
        return found, None
    new_id = known.new_id("enterprise")
    full: dict[str, Any] = {"id": new_id, "schema_version": schema_version(), **record}
    full["submitted"] = options.today.isoformat()
    if options.author:
        full["submitted_by"] = options.author
    return new_id, full


def _cooperation(
    ctx: Context, options: Options, number: int, read: Read, enterprise: str, known: Existing
) -> dict[str, Any] | None:
    what = f"合作情况（{number}）"
    record = values(ctx, "cooperation", read)
    if record is None or not _contact_check(ctx, "cooperation", record, what):
        return None
    project = record.get("project")
    name = read.lookups.get(PROJECT_NAME, "")
    institution = read.lookups.get(PROJECT_INSTITUTION, "")
    at = read.where.get("project") or read.where.get(PROJECT_NAME)
    if project:
        found = known.project_records.get(project)
        if found is None:
            ctx.refuse(
                at,
                _answer(ctx, "project"),
                f"{what}：目录中没有编号为 {excerpt(project)} 的项目；请核对编号",
                f"{what}: no project {project} in the catalogue",
            )
            return None
        if name and compare_key(name) != compare_key(str(found.get("project_name", ""))):
            ctx.refuse(
                at,
                _answer(ctx, "project"),
                f"{what}：项目编号 {project} 对应的项目是「{excerpt(str(found.get('project_name', '')), 40)}」，"
                f"与表中的「{excerpt(name, 40)}」不一致；请核对",
                f"{what}: project {project} has another name than the form's",
            )
            return None
    else:
        if not name:
            ctx.refuse(
                at,
                None,
                f"{what}：没有填写项目名称或项目编号",
                f"{what}: neither a project name nor a project id",
            )
            return None
        matches = [
            record_id
            for (project_name, inst), record_id in known.projects.items()
            if project_name == compare_key(name)
            and (not institution or inst == compare_key(institution))
        ]
        if len(matches) != 1:
            ctx.refuse(
                at,
                None,
                f"{what}：在目录中"
                + ("找不到" if not matches else f"找到 {len(matches)} 个")
                + f"项目「{excerpt(name, 40)}」"
                + (f"（{excerpt(institution, 30)}）" if institution else "")
                + "。请在「项目编号」一栏填写该项目的编号"
                + ("，或先导入该项目的附件1" if not matches else ""),
                f"{what}: "
                + ("no project" if not matches else f"{len(matches)} projects")
                + " of that name in the catalogue; give the project id",
            )
            return None
        project = matches[0]
        record["project"] = project
    record["enterprise"] = enterprise
    if (project, enterprise) in known.cooperations:
        ctx.refuse(
            at,
            None,
            f"{what}：该企业与项目 {project} 的合作已收录为 {known.cooperations[(project, enterprise)]}，没有重复导入",
            f"{what}: already in the catalogue as {known.cooperations[(project, enterprise)]}",
        )
        return None
    status = statuses.initial("cooperation")
    full: dict[str, Any] = {"id": "", "schema_version": schema_version(), **record}
    full["submitted"] = options.today.isoformat()
    if options.author:
        full["submitted_by"] = options.author
    full["status"] = status
    full["history"] = [
        {
            "date": options.today.isoformat(),
            "status": status,
            "note": import_source(ctx.book.name, f"附件{ctx.form.annex.number} {what}"),
        }
    ]
    return full


def _annex2(
    ctx: Context, options: Options, main: Read, blocks: list[Read], known: Existing
) -> None:
    enterprise_id, enterprise = _enterprise(ctx, options, main, known)
    if enterprise_id is None:
        if not ctx.report.refused:
            ctx.refuse(
                None,
                None,
                "表中没有企业的信息（企业名称等），无法导入；请填写后重新导入",
                "the form gives no enterprise (name etc.); nothing can be imported",
            )
        return
    cooperations: list[tuple[int, dict[str, Any], Read]] = []
    for number, read in enumerate(blocks, start=1):
        if read.empty():
            if len(blocks) > 1:
                ctx.note(
                    f"合作情况（{number}）为空，已跳过", f"cooperation block {number} is empty"
                )
            continue
        made = _cooperation(ctx, options, number, read, enterprise_id, known)
        if made is not None:
            cooperations.append((number, made, read))
    if ctx.report.refused or enterprise_id is None:
        return
    missing_enterprise: list[str] | None = []
    if enterprise is not None:
        missing_enterprise = _check_record(ctx, "enterprise", enterprise, main)
    checked = []
    for _, cooperation, read in cooperations:
        cooperation["id"] = known.new_id("cooperation")
        missing = _check_record(ctx, "cooperation", cooperation, read)
        checked.append((cooperation, missing))
    if ctx.report.refused or missing_enterprise is None:
        return
    if enterprise is not None:
        path = _write(ctx, options, "enterprise", enterprise)
        if path is None:
            return
        known.add("enterprise", enterprise)
        ctx.report.written.append(Written("enterprise", enterprise["id"], path, missing_enterprise))
    for cooperation, missing in checked:
        path = _write(ctx, options, "cooperation", cooperation)
        if path is not None:
            known.add("cooperation", cooperation)
            ctx.report.written.append(
                Written("cooperation", cooperation["id"], path, missing or [])
            )


def import_form(
    book: Workbook, sheet: Sheet, name: str, options: Options, also: dict[str, str]
) -> FormReport:
    """Import the annex ``name`` (annex1, annex2) filled in on ``sheet`` of ``book``."""
    form = layouts.layout(name)
    report = FormReport(book, sheet, form)
    ctx = Context(book, sheet, form, report)
    found = locate(sheet, form)
    if len(found.placed) > MAX_LABELS:
        # A form has a few dozen labels (a few hundred with many cooperation blocks): a
        # sheet of thousands is no form, and reading each answer would take minutes.
        ctx.refuse(
            None,
            None,
            f"工作表中有 {len(found.placed)} 处栏目标签，超过上限 {MAX_LABELS}，不像是一份附件。"
            "请只保留一份填好的附件后重新导入",
            f"the sheet holds {len(found.placed)} form labels, over the limit of {MAX_LABELS}: "
            "not one form. Keep one filled-in form and import again",
        )
        _not_written(ctx)
        return report
    main, blocks = read_answers(ctx, found)
    # Cells that are no answer: what they hold is quoted, a hundred of a kind at most.
    strays = (
        (
            found.unrecognised,
            "不是表格的栏目，内容“{text}”没有导入。如是某一栏的答案，请把它填在该栏标签右侧的格中",
            "not part of the form; its content was not imported. Put an answer in the cell to "
            "the right of its label",
        ),
        (
            found.under_merge,
            "被合并单元格盖住，内容“{text}”看不见，没有导入。请取消合并、确认内容后重新导入",
            "under a merged range, so its content does not show; not imported. Unmerge it, "
            "check it and import again",
        ),
    )
    for cells, zh, en in strays:
        for row, column in cells[:MAX_LISTED]:
            text = cell_text_safe(sheet, row, column)
            ctx.refuse((row, column), None, zh.format(text=text), en)
    for cell, labels in found.shared.items():
        if not cell_text_safe(sheet, *cell).strip():
            continue  # nothing answered in it: nothing to place
        names = "」「".join(cell_text_safe(sheet, *label) for label in labels)
        ctx.refuse(
            cell,
            None,
            f"这个合并单元格同时位于「{names}」右侧，无法判断是哪一栏的答案。"
            "请取消合并，把答案分别填在各栏右侧的格中",
            "one merged cell to the right of several labels: whose answer it is cannot be "
            "told. Unmerge it and answer each label in the cell to its right",
        )
    unlisted = sum(max(0, len(cells) - MAX_LISTED) for cells, _, _ in strays)
    if unlisted:
        report.lines.append(more_line(book, sheet, unlisted))
    report.lines += hidden_lines(book, sheet, set())
    report.lines += workbook_lines(book, sheet, also)
    if report.refused:
        _not_written(ctx)
        return report
    known = existing(options.data_dir, options.out_dir)
    if name == "annex1":
        _project(ctx, options, main, known)
    else:
        _annex2(ctx, options, main, blocks, known)
    if report.refused and not any(w.path for w in report.written):
        _not_written(ctx)
    return report


def _not_written(ctx: Context) -> None:
    ctx.note(
        "有需要修改的内容，本文件的记录都没有写入；请按下列提示修改后重新导入整个文件",
        "something must be fixed first, so no record of this file was written; fix the lines "
        "below and import the whole file again",
    )
