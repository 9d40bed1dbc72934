"""Where a package comes from: its version, when its data last changed, its sources, the
release ledger and the change log. Never the clock, so two builds of one commit are
byte-identical."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from springrain import gitrepo
from springrain.config import REPO_ROOT, source_date_epoch
from springrain.errors import SpringrainError
from springrain.model.recordset import RecordSet

LEDGER = Path("releases") / "ledger.json"
CHANGELOG = "CHANGELOG.md"
EMPTY_CHANGELOG = "# 更新记录 / Changelog\n"


@dataclass
class Provenance:
    version: str
    created: dt.datetime
    sources: list[dict[str, Any]] = field(default_factory=list)
    ledger: list[dict[str, Any]] = field(default_factory=list)
    changelog: str = EMPTY_CHANGELOG


def source_timestamp(data_dir: Path, records: Iterable[dict[str, Any]] = ()) -> dt.datetime:
    """When the data was last changed: ``SOURCE_DATE_EPOCH``, else the last commit touching
    ``data_dir``, else the latest date in the records."""
    epoch = source_date_epoch()
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
    if data_dir.is_dir():
        stamp = gitrepo.last_commit_time(data_dir)
        if stamp is not None:
            return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)
    dates = []
    for record in records:
        if isinstance(record.get("submitted"), str):
            dates.append(record["submitted"])
        for event in record.get("history") or []:
            if isinstance(event, dict) and isinstance(event.get("date"), str):
                dates.append(event["date"])
    latest = max(dates, default="1980-01-01")
    try:
        return dt.datetime.fromisoformat(latest).replace(tzinfo=dt.UTC)
    except ValueError:
        return dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


# What ``springrain release`` appends to the ledger, one entry per version; a ledger edited
# by hand into another shape is refused rather than read wrong or overwritten.
_VERSION = "[0-9]{1,9}[.][0-9]{1,9}[.][0-9]{1,9}"
LEDGER_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["version", "date", "tag", "counts", "files"],
        "properties": {
            "version": {"type": "string", "pattern": f"^{_VERSION}$"},
            "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
            "tag": {"type": "string", "pattern": f"^v{_VERSION}$"},
            "counts": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
            "files": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "bytes", "sha256"],
                    "properties": {
                        "name": {"type": "string", "minLength": 1},
                        "bytes": {"type": "integer", "minimum": 0},
                        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    },
                },
            },
        },
    },
}


def read_ledger(repo: Path) -> list[dict[str, Any]]:
    """The release ledger (``[]`` before the first release); a ledger that is not JSON or
    not of the shape releases write is a ``SpringrainError`` naming the place."""
    from jsonschema import Draft202012Validator

    path = repo / LEDGER
    if not path.exists():
        return []
    fix_zh = f"请从 git 历史中恢复 {LEDGER.as_posix()}（git checkout -- {LEDGER.as_posix()}），不要手工编辑。"
    fix_en = f"Restore {LEDGER.as_posix()} from git history; it is written by springrain release."
    try:
        ledger = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as error:
        raise SpringrainError(
            f"发布记录 {path} 无法读取（{error}）。{fix_zh}",
            f"The release ledger {path} cannot be read ({error}). {fix_en}",
        ) from None
    problem = next(Draft202012Validator(LEDGER_SCHEMA).iter_errors(ledger), None)
    if problem is not None:
        where = "/".join(str(part) for part in problem.absolute_path) or "（整个文件）"
        raise SpringrainError(
            f"发布记录 {path} 的格式不对（位置 {where}：{problem.message[:200]}）。{fix_zh}",
            f"The release ledger {path} is malformed at {where}: {problem.message[:200]}. {fix_en}",
        )
    return ledger


def sources(records: RecordSet) -> list[dict[str, Any]]:
    """The programme documents, from the programmes table."""
    result = []
    for row in records.programmes:
        number = row.get("document_number") or ""
        source: dict[str, Any] = {
            "title": row.get("name_zh", "") + (f"（{number}）" if number else "")
        }
        if row.get("source_file"):
            source["x-source-file"] = row["source_file"]
        result.append(source)
    return result


def provenance(data_dir: Path, records: RecordSet, version: str | None = None) -> Provenance:
    """The provenance of a package built from ``data_dir`` (its repository's ledger and
    change log; this repository's when ``data_dir`` is in none)."""
    repo = gitrepo.toplevel(data_dir) or REPO_ROOT
    ledger = read_ledger(repo)
    if version is None:
        version = ledger[-1]["version"] if ledger else "0.0.0"
    everything = [record for items in records.records.values() for record in items]
    changelog_file = repo / CHANGELOG
    return Provenance(
        version=version,
        created=source_timestamp(data_dir, everything),
        sources=sources(records),
        ledger=ledger,
        changelog=changelog_file.read_text("utf-8")
        if changelog_file.is_file()
        else EMPTY_CHANGELOG,
    )
