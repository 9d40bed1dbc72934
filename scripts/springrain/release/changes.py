"""Releases: compare the data with the last release tag, choose the version, record it.

``release(repo)`` reads the records (and checked-in Table Schemas) at the last release tag
straight from git, so a release needs nothing but the repository. The version follows the
Data Package version rules:

- major: a table or field removed or renamed, a type changed, a constraint tightened
  (new ``required``, fewer enum values, narrower lengths or ranges, a changed pattern or
  key), or a published record gone;
- minor: records, table rows, tables or fields added, enum values added;
- patch: corrections to existing records or rows (withdrawals included).

It then writes ``changes/<version>.json`` (machine-readable), a ``CHANGELOG.md`` entry,
appends to ``releases/ledger.json`` (version, date, tag, row counts, file checksums of the
package built at that version), commits those three files and tags ``v<version>``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from springrain import gitrepo
from springrain.config import TABLES_DIR
from springrain.derive.recordtables import iter_table_schemas, record_tables, table_rows
from springrain.errors import SpringrainError
from springrain.model import statuses
from springrain.model import tables as hand_kept
from springrain.model.kinds import kind as record_kind
from springrain.model.kinds import kind_names
from springrain.model.recordset import RecordSet
from springrain.package.csvfiles import read_csv, sha256
from springrain.package.provenance import LEDGER, read_ledger
from springrain.package.writer import CHECKSUMS, RELEASES, row_counts
from springrain.release.bumps import BUMPS

HAND_KEPT = hand_kept.names()


def hand_kept_schema(name: str) -> dict[str, Any]:
    return hand_kept.table_schema(name)


def withdrawn_statuses() -> tuple[str, ...]:
    return statuses.with_role("withdrawn")


# Files of the package that describe releases rather than the data: not in the ledger.
NOT_CHECKSUMMED = {RELEASES, "CHANGELOG.md", CHECKSUMS}
GENERATED_DIR = "schemas/tables/generated"
CHANGELOG_HEAD = "# 更新记录 / Changelog\n"


git = gitrepo.run


def read_blobs(repo: Path, rev: str, paths: list[str]) -> dict[str, bytes]:
    """Contents of ``paths`` at ``rev``, in one ``git cat-file --batch`` call."""
    if not paths:
        return {}
    request = "".join(f"{rev}:{p}\n" for p in paths).encode("utf-8")
    out = git(repo, "cat-file", "--batch", input_bytes=request)
    blobs: dict[str, bytes] = {}
    position = 0
    for path in paths:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        blobs[path] = out[position : position + size]
        position += size + 1
    return blobs


def list_files(repo: Path, rev: str, *folders: str) -> list[str]:
    out = git(repo, "ls-tree", "-r", "--name-only", rev, "--", *folders)
    return [line for line in out.decode("utf-8").splitlines() if line]


def records_at(repo: Path, rev: str, data_subdir: str) -> dict[str, dict[str, dict[str, Any]]]:
    """{kind: {id: record}} as committed at ``rev``."""
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for kind in kind_names():
        folder = f"{data_subdir}/{record_kind(kind).folder}".lstrip("/")
        paths = [p for p in list_files(repo, rev, folder) if p.endswith(".json")]
        records = {}
        for path, blob in read_blobs(repo, rev, paths).items():
            try:
                record = orjson.loads(blob)
            except orjson.JSONDecodeError:
                record = None
            if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                raise SpringrainError(
                    f"上一个版本 {rev} 中的 {path} 不是有效的记录（不是 JSON 对象或没有 id），"
                    "无法列出变化。请检查该标签所指的提交。",
                    f"{path} at the last release {rev} is not a valid record (not a JSON "
                    "object with an id), so the changes cannot be listed. Check that tag.",
                )
            records[record["id"]] = record
        result[kind] = records
    return result


def current_records(data_dir: Path) -> dict[str, dict[str, dict[str, Any]]]:
    records = RecordSet.from_data_dir(data_dir)
    return {kind: {r["id"]: r for r in records.records[kind]} for kind in kind_names()}


def table_counts(records: dict[str, dict[str, dict[str, Any]]]) -> dict[str, int]:
    counts = {}
    for kind in kind_names():
        ordered = [records[kind][key] for key in sorted(records[kind])]
        for table in record_tables(kind):
            counts[table.name] = sum(1 for _ in table_rows(table, ordered))
    return counts


# ---------------------------------------------------------------- comparing


@dataclass
class Changes:
    records: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    tables: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    schema: dict[str, list[str]] = field(default_factory=lambda: {"major": [], "minor": []})

    def level(self) -> str | None:
        """The bump these changes need, or None when nothing changed."""
        removed = any(kind.get("removed") for kind in self.records.values())
        if self.schema["major"] or removed:
            return "major"
        added = any(kind.get("added") for kind in self.records.values()) or any(
            t.get("added") for t in self.tables.values()
        )
        if self.schema["minor"] or added:
            return "minor"
        changed = any(
            kind.get("updated") or kind.get("withdrawn") for kind in self.records.values()
        ) or any(t.get("changed") or t.get("removed") for t in self.tables.values())
        return "patch" if changed else None


def compare_records(
    old: dict[str, dict[str, dict[str, Any]]], new: dict[str, dict[str, dict[str, Any]]]
) -> dict[str, dict[str, list[Any]]]:
    result = {}
    for kind in kind_names():
        before, after = old.get(kind, {}), new.get(kind, {})
        added = sorted(set(after) - set(before))
        removed = sorted(set(before) - set(after))
        updated, withdrawn = [], []
        for key in sorted(set(before) & set(after)):
            if before[key] == after[key]:
                continue
            names = sorted(
                {
                    name
                    for name in set(before[key]) | set(after[key])
                    if before[key].get(name) != after[key].get(name)
                }
            )
            status = after[key].get("status")
            if (
                kind == "project"
                and status in withdrawn_statuses()
                and before[key].get("status") != status
            ):
                withdrawn.append({"id": key, "status": status, "fields": names})
            else:
                updated.append({"id": key, "fields": names})
        result[kind] = {
            "added": added,
            "updated": updated,
            "withdrawn": withdrawn,
            "removed": removed,
        }
    return result


def _rows_by_key(header: list[str], rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row for row in rows if row} if header else {}


def compare_hand_kept(repo: Path, rev: str | None, data_dir: Path, data_subdir: str):
    result = {}
    for name in HAND_KEPT:
        path = data_dir / f"{name}.csv"
        header, rows = read_csv(path) if path.exists() else ([], [])
        after = _rows_by_key(header, rows)
        before: dict[str, list[str]] = {}
        if rev:
            blob = read_blobs(repo, rev, [f"{data_subdir}/{name}.csv".lstrip("/")])
            if blob:
                with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as handle:
                    handle.write(next(iter(blob.values())))
                old_header, old_rows = read_csv(Path(handle.name))
                Path(handle.name).unlink()
                before = _rows_by_key(old_header, old_rows)
        result[name] = {
            "added": sorted(set(after) - set(before)),
            "changed": sorted(k for k in set(after) & set(before) if after[k] != before[k]),
            "removed": sorted(set(before) - set(after)),
        }
    return result


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def compare_schemas(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> dict[str, list[str]]:
    """Breaking (major) and additive (minor) differences between two sets of Table Schemas."""
    major: list[str] = []
    minor: list[str] = []
    for name in sorted(set(old) - set(new)):
        major.append(f"table {name} removed")
    for name in sorted(set(new) - set(old)):
        minor.append(f"table {name} added")
    for name in sorted(set(old) & set(new)):
        before = {f["name"]: f for f in old[name].get("fields", [])}
        after = {f["name"]: f for f in new[name].get("fields", [])}
        for field_name in sorted(set(before) - set(after)):
            major.append(f"{name}.{field_name} removed or renamed")
        for field_name in sorted(set(after) - set(before)):
            spec = after[field_name]
            if spec.get("constraints", {}).get("required"):
                major.append(f"{name}.{field_name} added as required")
            else:
                minor.append(f"{name}.{field_name} added")
        for field_name in sorted(set(before) & set(after)):
            a, b = before[field_name], after[field_name]
            where = f"{name}.{field_name}"
            if a.get("type") != b.get("type"):
                major.append(f"{where} type {a.get('type')} → {b.get('type')}")
            ca, cb = a.get("constraints", {}), b.get("constraints", {})
            if cb.get("required") and not ca.get("required"):
                major.append(f"{where} now required")
            if "enum" in cb:
                lost = set(_as_list(ca.get("enum"))) - set(cb["enum"]) if "enum" in ca else {"*"}
                gained = set(cb["enum"]) - set(_as_list(ca.get("enum")))
                if lost:
                    major.append(f"{where} enum narrowed")
                elif gained:
                    minor.append(f"{where} enum extended")
            elif "enum" in ca:
                minor.append(f"{where} enum lifted")
            if cb.get("pattern") != ca.get("pattern") and "pattern" in cb:
                major.append(f"{where} pattern changed")
            for key, tighter in (
                ("maxLength", lambda x, y: y < x),
                ("minLength", lambda x, y: y > x),
                ("maximum", lambda x, y: y < x),
                ("minimum", lambda x, y: y > x),
            ):
                if key in cb and (key not in ca or tighter(ca[key], cb[key])):
                    major.append(f"{where} {key} tightened")
        if _as_list(old[name].get("primaryKey")) != _as_list(new[name].get("primaryKey")):
            major.append(f"{name} primary key changed")
    return {"major": major, "minor": minor}


def current_table_schemas() -> dict[str, dict[str, Any]]:
    schemas = {table.name: schema for table, schema in iter_table_schemas()}
    schemas.update({name: hand_kept_schema(name) for name in HAND_KEPT})
    return schemas


def table_schemas_at(repo: Path, rev: str) -> dict[str, dict[str, Any]] | None:
    """Checked-in Table Schemas at ``rev``, or None when the repository has none."""
    folders = [GENERATED_DIR, TABLES_DIR.relative_to(TABLES_DIR.parents[1]).as_posix()]
    paths = [p for p in list_files(repo, rev, *folders) if p.endswith(".table.json")]
    if not paths:
        return None
    return {
        Path(path).name[: -len(".table.json")]: orjson.loads(blob)
        for path, blob in read_blobs(repo, rev, paths).items()
    }


# ---------------------------------------------------------------- versions


def parse_version(text: str) -> tuple[int, int, int]:
    parts = text.lstrip("v").split(".")
    if len(parts) != 3 or not all(p.isdecimal() for p in parts):
        raise SpringrainError(
            f"版本号 {text!r} 不是“主.次.修订”格式。",
            f"Version {text!r} is not MAJOR.MINOR.PATCH.",
        )
    return int(parts[0]), int(parts[1]), int(parts[2])


def next_version(previous: str | None, level: str) -> str:
    if previous is None:
        return {"major": "1.0.0", "minor": "0.1.0", "patch": "0.0.1"}[level]
    major, minor, patch = parse_version(previous)
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


# ---------------------------------------------------------------- writing


def changelog_entry(change: dict[str, Any]) -> str:
    """A CHANGELOG.md section, Chinese first with the English beneath."""
    lines = [f"## {change['version']} — {change['date']}", ""]
    if change["previous"]:
        lines.append(
            f"与 {change['previous_tag']} 相比（{change['bump']}）。"
            f" Compared with {change['previous_tag']} ({change['bump']})."
        )
    else:
        lines.append("首次发布。 First release.")
    lines.append("")
    for kind in kind_names():
        part = change["records"][kind]
        zh = record_kind(kind).noun_zh
        for ident in part["added"]:
            lines.append(f"- 新增{zh} / added {kind}: {ident}")
        for item in part["updated"]:
            lines.append(
                f"- 更新{zh} / updated {kind}: {item['id']}（{', '.join(item['fields'])}）"
            )
        for item in part["withdrawn"]:
            lines.append(
                f"- {item['status']}{zh} / withdrawn {kind}: {item['id']}（{item['status']}）"
            )
        for ident in part["removed"]:
            lines.append(f"- 删除{zh} / removed {kind}: {ident}")
    for name, part in change["tables"].items():
        for verb, zh in (("added", "新增"), ("changed", "更正"), ("removed", "删除")):
            if part[verb]:
                lines.append(f"- {name}：{zh} / {verb} {', '.join(part[verb])}")
    for level in ("major", "minor"):
        for item in change["schema"][level]:
            lines.append(f"- 数据结构 / schema ({level}): {item}")
    counts = ", ".join(f"{k} {v}" for k, v in change["counts"].items())
    lines += ["", f"行数 / rows: {counts}", ""]
    return "\n".join(lines) + "\n"


def prepend_changelog(path: Path, entry: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else CHANGELOG_HEAD
    if not text.startswith(CHANGELOG_HEAD):
        text = CHANGELOG_HEAD + "\n" + text
    head, rest = text[: len(CHANGELOG_HEAD)], text[len(CHANGELOG_HEAD) :].lstrip("\n")
    # Keep any introduction (before the first version heading) above the entries.
    marker = rest.find("\n## ")
    if rest.startswith("## "):
        intro, entries = "", rest
    elif marker >= 0:
        intro, entries = rest[: marker + 1], rest[marker + 1 :]
    else:
        intro, entries = rest, ""
    intro = intro.rstrip("\n") + "\n\n" if intro.strip() else ""
    path.write_text(head + "\n" + intro + entry + ("\n" + entries if entries else ""), "utf-8")


@dataclass
class Release:
    version: str
    tag: str
    change: dict[str, Any]
    ledger_entry: dict[str, Any]


def release(
    repo: Path,
    *,
    data_subdir: str = "data",
    bump: str = "auto",
    today: dt.date | None = None,
    allow_demo: bool = False,
    commit: bool = True,
) -> Release:
    """Compare, choose the version, write changes/CHANGELOG/ledger, commit and tag."""
    from springrain.pipeline import package
    from springrain.validate.engine import validate

    if bump not in BUMPS:
        raise SpringrainError(f"未知的 --bump 取值 {bump}。", f"Unknown --bump value {bump}.")
    repo = repo.resolve()
    data_dir = repo / data_subdir
    git(repo, "rev-parse", "--show-toplevel")
    dirty = git(repo, "status", "--porcelain", "--", data_subdir).decode().strip()
    if dirty:
        raise SpringrainError(
            f"{data_subdir}/ 有未提交的修改，发布前请先提交：\n{dirty}",
            f"{data_subdir}/ has uncommitted changes; commit them before releasing.",
        )
    report = validate(data_dir, allow_demo=allow_demo, today=today)
    if report.errors:
        raise SpringrainError(
            f"数据有 {len(report.errors)} 个错误，不能发布。请运行 springrain validate 并改正。",
            f"The data has {len(report.errors)} errors; run springrain validate and fix them.",
        )
    previous_tag = gitrepo.last_release_tag(repo)
    ledger = read_ledger(repo)
    previous = previous_tag.lstrip("v") if previous_tag else None
    if ledger and previous and ledger[-1]["version"] != previous:
        raise SpringrainError(
            f"发布记录 {LEDGER} 的最后版本 {ledger[-1]['version']} 与最近的标签 {previous_tag} 不一致。",
            f"The last version in {LEDGER} ({ledger[-1]['version']}) differs from the last "
            f"tag {previous_tag}.",
        )
    old = records_at(repo, previous_tag, data_subdir) if previous_tag else {}
    new = current_records(data_dir)
    changes = Changes(records=compare_records(old, new))
    changes.tables = compare_hand_kept(repo, previous_tag, data_dir, data_subdir)
    if previous_tag:
        old_schemas = table_schemas_at(repo, previous_tag)
        if old_schemas is not None:
            changes.schema = compare_schemas(old_schemas, current_table_schemas())
    level = changes.level()
    if bump == "auto":
        if level is None:
            raise SpringrainError(
                f"自 {previous_tag} 以来数据没有变化，无需发布。",
                f"Nothing changed since {previous_tag}; there is nothing to release.",
            )
        chosen = "major" if previous is None else level
    else:
        chosen = bump
    version = next_version(previous, chosen)
    tag = f"v{version}"
    date = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "package"
        # The very package `springrain build` makes for the site at this version.
        descriptor = package(data_dir, out, demo=allow_demo, version=version).descriptor
        counts = row_counts(descriptor, out)
        files = [
            {
                "name": path.relative_to(out).as_posix(),
                "bytes": path.stat().st_size,
                "sha256": sha256(path),
            }
            for path in sorted(out.rglob("*"))
            if path.is_file() and path.relative_to(out).as_posix() not in NOT_CHECKSUMMED
        ]
    change = {
        "version": version,
        "tag": tag,
        "date": date,
        "previous": previous,
        "previous_tag": previous_tag,
        "bump": chosen,
        "records": changes.records,
        "tables": changes.tables,
        "schema": changes.schema,
        "counts": counts,
        "counts_before": table_counts(old) if old else {},
    }
    entry = {"version": version, "date": date, "tag": tag, "counts": counts, "files": files}
    changes_path = repo / "changes" / f"{version}.json"
    changes_path.parent.mkdir(parents=True, exist_ok=True)
    changes_path.write_bytes(orjson.dumps(change, option=orjson.OPT_INDENT_2) + b"\n")
    prepend_changelog(repo / "CHANGELOG.md", changelog_entry(change))
    ledger_path = repo / LEDGER
    ledger_path.parent.mkdir(parents=True, exist_ok=True)
    ledger_path.write_bytes(orjson.dumps([*ledger, entry], option=orjson.OPT_INDENT_2) + b"\n")
    if commit:
        paths = ["CHANGELOG.md", f"changes/{version}.json", LEDGER.as_posix()]
        git(repo, "add", "--", *paths)
        git(repo, "commit", "-q", "-m", f"Release {tag}", "--", *paths)
        git(repo, "tag", "-a", tag, "-m", f"springrain data {tag}")
    return Release(version, tag, change, entry)


def verify(repo: Path, package_dir: Path, version: str) -> list[str]:
    """Files of a rebuilt package that differ from the ledger entry of ``version``."""
    entries = [e for e in read_ledger(repo) if e["version"] == version.lstrip("v")]
    if not entries:
        return [f"{version}: not in {LEDGER}"]
    problems = []
    for item in entries[-1]["files"]:
        path = package_dir / item["name"]
        if not path.is_file():
            problems.append(f"{item['name']}: missing")
        elif sha256(path) != item["sha256"]:
            problems.append(f"{item['name']}: checksum differs")
    return problems
