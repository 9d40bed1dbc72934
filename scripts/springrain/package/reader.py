"""The one reader of a built data package, used by every step that reads one: the site,
and matching and statistics when they run alone on a package.

Only what the package promises is read: each record kind's JSON file (required), the
hand-kept tables' CSVs, and what the derive steps added (``matches.csv``, ``stats.json``),
the descriptor, the ledger and the change log (each optional: a page says 暂无数据 rather
than failing). Ids become file and page names, so a record whose id does not follow its
kind's pattern refuses the whole package.

Before anything is read, the package is checked against its own SHA256SUMS: every file
listed is there with its digest, nothing else is there, and nothing is a link. A package
edited by hand, cut short or with a file slipped in is refused as a whole, so no step
publishes or derives from files the package never held. A package this process did not
write from records it validated (checksums can be forged) has its records and tables
validated too (``validate.engine.check_package``) before any step uses them.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from springrain.errors import SpringrainError
from springrain.gcpause import collector_paused
from springrain.model import tables as hand_kept
from springrain.model.kinds import record_kinds
from springrain.model.recordset import RecordSet
from springrain.package.csvfiles import sha256
from springrain.package.provenance import CHANGELOG
from springrain.package.writer import CHECKSUMS, DESCRIPTOR, RELEASES

MATCHES = "matches.csv"
STATS = "stats.json"


@dataclass
class Package:
    root: Path
    records: RecordSet
    descriptor: dict[str, Any] = field(default_factory=dict)
    matches: list[dict[str, str]] | None = None
    stats: dict[str, Any] | None = None
    releases: list[dict[str, Any]] | None = None
    changelog: str | None = None
    checksums: dict[str, str] = field(default_factory=dict)

    @property
    def projects(self) -> list[dict[str, Any]]:
        return self.records.projects

    @property
    def enterprises(self) -> list[dict[str, Any]]:
        return self.records.enterprises

    @property
    def cooperations(self) -> list[dict[str, Any]]:
        return self.records.cooperations

    @property
    def programmes(self) -> list[dict[str, str]]:
        return self.records.programmes

    def files(self) -> list[Path]:
        """The package's files, as its checksums list them (and the list itself), sorted."""
        return sorted(self.root / name for name in [*self.checksums, CHECKSUMS])


def _missing(path: Path) -> SpringrainError:
    return SpringrainError(
        f"数据包中缺少 {path}。请先运行 springrain package（或 make build）生成数据包，或用 --package 指定数据包目录。",
        f"{path} is missing from the data package. Run `springrain package` (or make build) "
        "first, or point --package at a package directory.",
    )


def _json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as error:
        raise SpringrainError(
            f"无法读取数据包文件 {path}：{error}。请重新运行 springrain package。",
            f"Cannot read package file {path}: {error}. Run springrain package again.",
        ) from None


def _ragged(header: list[str], row: list[str]) -> dict[Any, Any]:
    """A row longer or shorter than the header, as ``csv.DictReader`` gives it: the extra
    cells as a list under ``None``, the missing ones as ``None``."""
    values: dict[Any, Any] = dict(zip(header, row, strict=False))
    if len(row) > len(header):
        values[None] = row[len(header) :]
    for name in header[len(row) :]:
        values[name] = None
    return values


def _csv(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV as ``csv.DictReader`` gives them, a third faster: the matches
    table's 100,000 rows are read while nothing else runs."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle)
            header = next(rows, None)
            if header is None:
                return []
            width = len(header)
            return [
                dict(zip(header, row, strict=True)) if len(row) == width else _ragged(header, row)
                for row in rows
                if row
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise SpringrainError(
            f"无法读取数据包文件 {path}：{error}。请重新运行 springrain package。",
            f"Cannot read package file {path}: {error}. Run springrain package again.",
        ) from None


_CHECKSUM_LINE = re.compile(r"([0-9a-f]{64})  \*?(\S(?:.*\S)?)")


def _refused(root: Path, zh: str, en: str) -> SpringrainError:
    return SpringrainError(
        f"数据包 {root} {zh}，不能使用。请重新运行 springrain package（或 make build）生成数据包。",
        f"The data package {root} {en}, so it cannot be used. Run springrain package (or "
        "make build) again.",
    )


def verified_checksums(root: Path) -> dict[str, str]:
    """File name → sha256 of every file of the package, once each file is found to hold
    what its SHA256SUMS says and the folder holds nothing else; else ``SpringrainError``."""
    sums = root / CHECKSUMS
    if not sums.is_file() or sums.is_symlink():
        raise _refused(root, f"缺少校验文件 {CHECKSUMS}，无法确认文件完整", f"has no {CHECKSUMS}")
    try:
        text = sums.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _refused(
            root, f"的 {CHECKSUMS} 无法读取", f"has an unreadable {CHECKSUMS}"
        ) from error
    listed: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _CHECKSUM_LINE.fullmatch(line)
        name = match.group(2) if match else ""
        parts = name.split("/")
        if not match or name == CHECKSUMS or name in listed or "" in parts or ".." in parts:
            raise _refused(
                root,
                f"的 {CHECKSUMS} 第 {number} 行格式不对（应为“64 位校验值、两个空格、文件名”）",
                f"has a malformed line {number} in {CHECKSUMS}",
            )
        listed[name] = match.group(1)
    present = set()
    for path in root.rglob("*"):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            raise _refused(root, f"中的 {name} 是链接", f"holds a link, {name}")
        if path.is_file() and name != CHECKSUMS and not path.name.startswith("."):
            present.add(name)
    for name in sorted(set(listed) | present):
        if name not in present:
            raise _refused(
                root,
                f"缺少 {CHECKSUMS} 列出的文件 {name}",
                f"lacks {name}, which its {CHECKSUMS} lists",
            )
        if name not in listed:
            raise _refused(
                root,
                f"中的 {name} 不在 {CHECKSUMS} 中（不是打包时写入的文件）",
                f"holds {name}, which its {CHECKSUMS} does not list",
            )
        if sha256(root / name) != listed[name]:
            raise _refused(
                root,
                f"中的 {name} 与 {CHECKSUMS} 不符（文件被改动过或不完整）",
                f"holds {name}, which does not match its {CHECKSUMS}",
            )
    return listed


def read_records(root: Path) -> RecordSet:
    """The records and hand-kept tables of a package."""
    with collector_paused():
        return _read_records(root)


# Packages this process wrote from records it had validated (``written_from_valid``), by
# folder: the checksums they were written with. Read back unchanged, their records are
# not checked again; any other package's are, before any step uses them.
_WRITTEN_FROM_VALID: dict[Path, dict[str, str]] = {}


def written_from_valid(root: Path) -> None:
    """Note that the package in ``root`` was just written from validated records."""
    _WRITTEN_FROM_VALID[root.resolve()] = _listed(root)


def _listed(root: Path) -> dict[str, str]:
    listed = {}
    for line in (root / CHECKSUMS).read_text(encoding="utf-8").splitlines():
        match = _CHECKSUM_LINE.fullmatch(line)
        if match:
            listed[match.group(2)] = match.group(1)
    return listed


def _check_records(root: Path, checksums: dict[str, str], records: RecordSet) -> None:
    """Refuse a package whose records or tables fail validation, unless this process wrote
    it, unchanged since, from records it validated."""
    if _WRITTEN_FROM_VALID.get(root.resolve()) == checksums:
        return
    from springrain.validate.engine import check_package

    errors = [f for f in check_package(root, records) if f.severity == "error"]
    if errors:
        first = errors[0]
        where = f"{Path(first.file).stem}{(' ' + first.pointer) if first.pointer else ''}"
        raise _refused(
            root,
            f"中的记录未通过校验（{len(errors)} 个错误，第一个在 {where}：{first.message_zh[:200]}）",
            f"holds records that fail validation ({len(errors)} errors; the first, at "
            f"{where}: {first.message_en[:200]})",
        )


def _read_records(root: Path, checksums: dict[str, str] | None = None) -> RecordSet:
    if not root.is_dir():
        raise _missing(root)
    if checksums is None:
        checksums = verified_checksums(root)
    records: dict[str, list[dict[str, Any]]] = {}
    for kind in record_kinds().values():
        path = root / kind.package_file
        if not path.is_file():
            raise _missing(path)
        value = _json(path)
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            raise SpringrainError(
                f"{path} 应为由记录组成的 JSON 数组。请重新运行 springrain package。",
                f"{path} should hold a JSON array of records; run springrain package again.",
            )
        for record in value:
            if not kind.id_is_valid(record.get("id")):
                raise SpringrainError(
                    f"数据包中的{kind.title_zh}编号无效：{str(record.get('id'))[:40]!r}。请重新校验并打包。",
                    f"Invalid {kind.name} id in the package: {str(record.get('id'))[:40]!r}. "
                    "Validate and package again.",
                )
        records[kind.name] = sorted(value, key=lambda record: record["id"])
    tables = {}
    for name in hand_kept.names():
        path = root / hand_kept.file_name(name)
        tables[name] = _csv(path) if path.is_file() else []
    read_set = RecordSet(records, tables)
    _check_records(root, checksums, read_set)
    return read_set


def read(root: Path) -> Package:
    """Everything a package holds for the steps that read it."""
    # Hundreds of thousands of rows and records, no cycle among them (see collector_paused).
    with collector_paused():
        return _read(root)


def _read(root: Path) -> Package:
    if not root.is_dir():
        raise _missing(root)
    checksums = verified_checksums(root)
    package = Package(root=root, records=_read_records(root, checksums), checksums=checksums)
    if (root / DESCRIPTOR).is_file():
        package.descriptor = _json(root / DESCRIPTOR)
    if (root / MATCHES).is_file():
        package.matches = _csv(root / MATCHES)
    if (root / STATS).is_file():
        package.stats = _json(root / STATS)
    if (root / RELEASES).is_file():
        package.releases = _json(root / RELEASES)
    if (root / CHANGELOG).is_file():
        package.changelog = (root / CHANGELOG).read_text(encoding="utf-8")
    return package
