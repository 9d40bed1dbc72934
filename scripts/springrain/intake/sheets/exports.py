"""What ``springrain export`` writes, read from a data directory or a built package.

From a data directory, the records exported are validated first (one project, or a
cooperation with its enterprise and project: those files; the CMDE list: the whole
directory), and nothing is written when validation finds an error, as for every step
after validation. From a package, the package reader's checks apply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from springrain import pipeline
from springrain.errors import SpringrainError
from springrain.intake.sheets.cmde import write_cmde_list
from springrain.intake.sheets.writer import write_annex1, write_annex2
from springrain.model.discovery import discover
from springrain.model.kinds import kind_of_id
from springrain.model.records import read_bytes
from springrain.model.recordset import RecordSet
from springrain.pipeline import InvalidData
from springrain.validate.engine import Report, validate

Record = dict[str, Any]


class NotExported(InvalidData):
    """Validation found errors in what was to be exported: the report is printed (the CLI's
    ``print_report`` knows ``InvalidData``), and nothing is written."""

    def __init__(self, report: Report) -> None:
        SpringrainError.__init__(
            self,
            f"数据未通过校验（{len(report.errors)} 个错误），没有导出。请先改正上面列出的问题。",
            f"The data failed validation ({len(report.errors)} errors); nothing was exported. "
            "Fix the problems listed above first.",
        )
        self.report = report


def _unknown(record_id: str, where: Path) -> SpringrainError:
    return SpringrainError(
        f"在 {where} 中找不到编号为 {record_id[:40]} 的记录。请核对编号（例如 GD-2026-0001、COOP-0001）。",
        f"No record {record_id[:40]!r} in {where}; check the id.",
    )


def _expect(record_id: str, kind: str) -> None:
    found = kind_of_id(record_id)
    if found is None or found.name != kind:
        example = {"project": "GD-2026-0001", "cooperation": "COOP-0001"}[kind]
        raise SpringrainError(
            f"“{record_id[:40]}”不是{'项目' if kind == 'project' else '合作'}编号（例如 {example}）。",
            f"{record_id[:40]!r} is not a {kind} id (e.g. {example}).",
        )


class Source:
    """Records by id, from a data directory (validated as they are read) or a package."""

    def __init__(
        self,
        data_dir: Path,
        package_dir: Path | None,
        *,
        demo: bool = False,
        today: dt.date | None = None,
    ) -> None:
        self.data_dir, self.package_dir, self.demo, self.today = data_dir, package_dir, demo, today
        self._package: RecordSet | None = None

    @property
    def where(self) -> Path:
        return self.package_dir or self.data_dir

    def _records(self) -> RecordSet:
        if self._package is None:
            from springrain.package.reader import read_records

            assert self.package_dir is not None
            self._package = read_records(self.package_dir)
        return self._package

    def _paths(self, ids: Sequence[str]) -> dict[str, Path]:
        if not self.data_dir.is_dir():
            raise SpringrainError(
                f"数据目录 {self.data_dir} 不存在。请用 --data 或 --package 指定。",
                f"Data directory {self.data_dir} does not exist; pass --data or --package.",
            )
        paths = {Path(f.path).stem: Path(f.path) for f in discover(self.data_dir).records}
        missing = [i for i in ids if i not in paths]
        if missing:
            raise _unknown(missing[0], self.where)
        return {i: paths[i] for i in ids}

    def peek(self, ids: Sequence[str]) -> dict[str, Record]:
        """The records ``ids`` as stored, unchecked: only to learn which others to read."""
        if self.package_dir is not None:
            every = {r["id"]: r for items in self._records().records.values() for r in items}
            missing = [i for i in ids if i not in every]
            if missing:
                raise _unknown(missing[0], self.where)
            return {i: every[i] for i in ids}
        paths = self._paths(ids)
        found: dict[str, Record] = {}
        for record_id, path in paths.items():
            try:
                value = orjson.loads(read_bytes(path))
            except (OSError, orjson.JSONDecodeError):
                value = {}
            found[record_id] = value if isinstance(value, dict) else {}
        return found

    def get(self, ids: Sequence[str]) -> dict[str, Record]:
        """The records ``ids``; from a data directory, only after they pass validation."""
        if self.package_dir is not None:
            return self.peek(ids)
        paths = self._paths(ids)

        report = validate(
            self.data_dir,
            list(paths.values()),
            today=self.today,
            allow_demo=pipeline.allow_demo(self.data_dir, self.demo),
        )
        if report.errors:
            raise NotExported(report)
        return {i: orjson.loads(read_bytes(path)) for i, path in paths.items()}

    def everything(self) -> RecordSet:
        if self.package_dir is not None:
            return self._records()
        try:
            records, _ = pipeline.validated(self.data_dir, demo=self.demo, today=self.today)
        except pipeline.InvalidData as error:
            raise NotExported(error.report) from None
        return records


def export_project(source: Source, project_id: str, out: Path) -> Path:
    _expect(project_id, "project")
    record = source.get([project_id])[project_id]
    return write_annex1(out, record)


def export_cooperations(source: Source, ids: Sequence[str], out: Path) -> Path:
    """Annex 2 for cooperations of one enterprise: the enterprise once, a part per project."""
    for cooperation_id in ids:
        _expect(cooperation_id, "cooperation")
    wanted = list(dict.fromkeys(ids))
    peeked = source.peek(wanted)
    owners = {str(c.get("enterprise")) for c in peeked.values()}
    if len(owners) != 1:
        raise SpringrainError(
            "一份附件2 只能包含同一家企业的合作；这些合作属于不同企业："
            + "、".join(sorted(owners))
            + "。请分别导出。",
            "One annex 2 holds the cooperations of one enterprise; these belong to "
            + ", ".join(sorted(owners))
            + ". Export them separately.",
        )
    owner = owners.pop()
    projects = sorted({str(c.get("project")) for c in peeked.values()})
    found = source.get([*wanted, owner, *projects])  # validated together, once
    return write_annex2(
        out, found[owner], [found[i] for i in wanted], {p: found[p] for p in projects}
    )


def export_cmde_list(source: Source, programme: str, out: Path) -> tuple[Path, int]:
    records = source.everything()
    row = next((p for p in records.programmes if p.get("id") == programme), None)
    if row is None:
        known = "、".join(p.get("id", "") for p in records.programmes) or "（无）"
        raise SpringrainError(
            f"没有编号为 {programme[:40]} 的行动方案。已有：{known}。",
            f"No programme {programme[:40]!r}; known: {known}.",
        )
    return write_cmde_list(out, records.projects, row)
