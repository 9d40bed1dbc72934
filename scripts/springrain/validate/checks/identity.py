"""A record's id against its file name and, for projects, its province and year."""

from __future__ import annotations

import posixpath

from springrain.model.kinds import kind as record_kind
from springrain.validate.checks.registry import Check, Finding, RecordContext, register, rule

ID_FILE = rule(
    "id.file_name",
    "error",
    "编号与文件名不符",
    "「编号」{id} 与文件名 {name} 不一致。文件应命名为 {expected}。",
    "The id {id} does not match the file name {name}; name the file {expected}.",
)
ID_FOLDER = rule(
    "id.province",
    "error",
    "编号与省份不符",
    "编号 {id} 与「所在省份」{value} 或所在文件夹 {folder} 不一致。"
    "编号以省份代码开头，文件放在 data/{kinds}/{value}/ 下。",
    "Id {id} does not agree with {field_en} {value} or folder {folder}.",
)
ID_YEAR = rule(
    "id.year",
    "error",
    "编号年份不符",
    "编号 {id} 中的年份与「提交日期」{submitted} 的年份不一致。",
    "The year in id {id} differs from the submission date {submitted}.",
)


@register
class Identity(Check):
    """The id names the file; an id made from other fields (a project's province and year)
    agrees with them and with the folder the file is filed in."""

    inspects = "record"
    rules = (ID_FILE, ID_FOLDER, ID_YEAR)

    def check(self, context: RecordContext) -> list[Finding]:
        record, file = context.record, context.file
        record_id = record.get("id")
        kind = record_kind(context.kind)
        if not kind.id_is_valid(record_id):
            return []  # the schema reports a malformed id
        head, name = posixpath.split(file)
        findings = []
        if name != f"{record_id}.json":
            findings.append(
                ID_FILE.at(file, "/id", id=record_id, name=name, expected=f"{record_id}.json")
            )
        parsed = kind.id_number(record_id)
        parts = dict(zip(kind.id_prefix_fields, parsed[0], strict=True)) if parsed else {}
        if kind.filed_by:
            value = record.get(kind.filed_by)
            folder = posixpath.basename(head)
            if parts.get(kind.filed_by) != value or folder != value:
                _, en = context.label("/" + kind.filed_by)
                findings.append(
                    ID_FOLDER.at(
                        file,
                        "/id",
                        id=record_id,
                        value=value,
                        folder=folder,
                        kinds=kind.folder,
                        field_en=en,
                    )
                )
        submitted = record.get("submitted")
        if "year" in parts and isinstance(submitted, str) and parts["year"] != submitted[:4]:
            findings.append(ID_YEAR.at(file, "/id", id=record_id, submitted=submitted))
        return findings
