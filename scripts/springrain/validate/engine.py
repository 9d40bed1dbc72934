"""The validation engine: discovery, then every registered check on what it inspects.

For each entry of the data directory that is not a record file, the ``entry`` checks; for
each record file, the ``file`` check reads it, then the ``record`` checks of its kind and
the ``text`` checks of its strings run on it; then the ``table`` checks and the ``text``
checks of every table row; then the ``dataset`` checks on a summary of every record. The
engine knows no rule itself: it walks ``validate.checks.registry.CHECKS``.

Record files are checked in chunks spread over the machine's cores (``springrain.workers``);
a worker sends back its findings and, packed as one JSON array, its summaries. Asked to
keep them (``keep_records``), a run also hands over the records it checked, so the steps
after it work on the very bytes validated, never on a second reading of the files; a worker
sends them back as the files' own bytes, joined into one JSON array.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from springrain import workers
from springrain.gcpause import collector_paused
from springrain.model import discovery as found
from springrain.model import tables as hand_kept
from springrain.model.kinds import kind as record_kind
from springrain.model.recordset import Record, RecordSet
from springrain.model.schemas import field_label, fields
from springrain.validate.checks.files import (
    MAX_FINDINGS_PER_FILE,
    MAX_RECORD_BYTES,
    MORE,
    TOO_LARGE,
    UNREADABLE,
)
from springrain.validate.checks.files import RecordFile as RecordFileCheck
from springrain.validate.checks.registry import (
    CHECKS,
    DatasetContext,
    Finding,
    RecordContext,
    Summary,
    TableContext,
    TextContext,
    checks,
)

CHUNK = 1000
# Fields whose value is a code rather than free text (see TextContext.codes).
CODES = {"enterprise": frozenset({"/credit_code"})}


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    discovered: found.Discovery | None = None  # what was found, for the steps after
    # kind → every record read, in no order (``keep_records``: for the steps after)
    records: dict[str, list[Record]] | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


@lru_cache(maxsize=8192)
def _label(kind: str, pointer: str) -> tuple[str, str]:
    return field_label(kind, pointer)


def display_path(path: Path | str, cwd: str | None = None) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    text = os.fspath(path)
    if not os.path.isabs(text) and ".." not in text:
        return text.replace(os.sep, "/").removeprefix("./")
    cwd = cwd or os.getcwd()
    absolute = os.path.abspath(text)
    if absolute.startswith(cwd + os.sep):
        return absolute[len(cwd) + 1 :].replace(os.sep, "/")
    return absolute.replace(os.sep, "/")


def _displayed(files: list[found.RecordFile], cwd: str) -> list[tuple[str, str, str]]:
    """(path, display path, kind) of record files: each folder's display path is worked
    out once (a hundred thousand files share a few dozen folders)."""
    shown: dict[str, str] = {}
    items = []
    for record_file in files:
        folder, _, name = record_file.path.rpartition(os.sep)
        prefix = shown.get(folder)
        if prefix is None:
            prefix = shown[folder] = display_path(folder, cwd)
        items.append((record_file.path, f"{prefix}/{name}", record_file.kind))
    return items


# ---------------------------------------------------------------- one record file


def read_file(path: str, display: str) -> tuple[bytes | None, list[Finding]]:
    """The file's bytes, or the finding that says why they were not read (too large to be
    a record: refused before reading, so a huge file costs nothing)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        return None, [UNREADABLE.at(display, "", reason=error.strerror or str(error))]
    try:
        size = os.fstat(descriptor).st_size
        if size > MAX_RECORD_BYTES:
            return None, [TOO_LARGE.at(display, "", size=size, limit=MAX_RECORD_BYTES)]
        chunks = []
        while chunk := os.read(descriptor, 1 << 16):
            chunks.append(chunk)
            size -= len(chunk)
            if size < -MAX_RECORD_BYTES:  # grew while being read
                return None, [TOO_LARGE.at(display, "", size=">", limit=MAX_RECORD_BYTES)]
        return b"".join(chunks), []
    except OSError as error:
        return None, [UNREADABLE.at(display, "", reason=error.strerror or str(error))]
    finally:
        os.close(descriptor)


_READER = RecordFileCheck()


def check_record(
    display: str, kind: str, record: dict[str, Any], today: dt.date, allow_demo: bool
) -> list[Finding]:
    """The record and text checks on one parsed record."""

    def label(pointer: str) -> tuple[str, str]:
        return _label(kind, pointer)

    context = RecordContext(display, kind, record, today, allow_demo, label)
    findings: list[Finding] = []
    for check in _record_checks(kind):
        findings += check.check(context)
    return findings + text_findings(display, kind, record)


def text_findings(display: str, kind: str, record: dict[str, Any]) -> list[Finding]:
    """The text checks on one parsed record: its strings alone and read together, in the
    record's order (the importers ask this of a record before they write it)."""

    def label(pointer: str) -> tuple[str, str]:
        return _label(kind, pointer)

    text = TextContext(
        display, label, CODES.get(kind, frozenset()), record=record, apart=read_apart(kind)
    )
    return [finding for check in _record_checks("text") for finding in check.check(text)]


@lru_cache(maxsize=16)
def read_apart(kind: str) -> frozenset[str]:
    """The top-level fields of ``kind`` not read together for split contact data: all but
    the words a person writes (``Field.words``)."""
    return frozenset(f.name for f in fields(kind) if not f.words)


@lru_cache(maxsize=16)
def _record_checks(kind: str) -> tuple[Any, ...]:
    """The registered record checks of ``kind`` ("text": the text checks), looked up once."""
    return tuple(checks("text") if kind == "text" else checks("record", kind))


def check_file(
    path: str, display: str, kind: str, today: dt.date, allow_demo: bool
) -> tuple[list[Finding], Summary | None]:
    """All findings of one record file, and what the dataset checks need from it."""
    findings, summary, _ = _checked(path, display, kind, today, allow_demo)
    return findings, summary


def _checked(
    path: str, display: str, kind: str, today: dt.date, allow_demo: bool
) -> tuple[list[Finding], Summary | None, tuple[Record, bytes | None] | None]:
    """``check_file``'s findings and summary, and the record read with its bytes when they
    are canonical JSON (a record comes with a summary, or neither comes)."""
    data, findings = read_file(path, display)
    if data is None:
        return findings, None, None
    read = _READER.read(data, display, kind)
    if read.record is None:
        return read.findings, None, None
    findings = read.findings + check_record(display, kind, read.record, today, allow_demo)
    if len(findings) > MAX_FINDINGS_PER_FILE:
        more = len(findings) - MAX_FINDINGS_PER_FILE
        findings = [*findings[:MAX_FINDINGS_PER_FILE], MORE.at(display, "", count=more)]
    return (
        findings,
        summarise(display, kind, read.record),
        (read.record, data if read.canonical else None),
    )


# The Summary fields read from a record, in order.
_SUMMARY_KEYS = ("id", "province", "programme", "project", "enterprise", "institution")


def summarise(display: str, kind: str, record: dict[str, Any]) -> Summary:
    title = record.get("project_name")
    return Summary(
        display,
        kind,
        *[value if value.__class__ is str else None for value in map(record.get, _SUMMARY_KEYS)],
        title if title.__class__ is str else None,
    )


# ---------------------------------------------------------------- chunks of files

_TASK: dict[str, Any] = {}
Chunk = list[tuple[str, str, str]]


Checked = tuple[list[Finding], list[Summary], list[Record]]


def _check_chunk(chunk: Chunk) -> Checked:
    """The chunk's findings, summaries and (``keep_records``) records, each record with
    its summary at the same position."""
    findings: list[Finding] = []
    summaries = []
    records = []
    keep = _TASK["keep_records"]
    # Checking a file makes few cycles (explaining a broken record makes some, collected
    # after the chunk); the collector would otherwise walk the chunk's objects again and
    # again.
    with collector_paused():
        for path, display, kind in chunk:
            found_here, summary, read = _checked(
                path, display, kind, _TASK["today"], _TASK["allow_demo"]
            )
            findings += found_here
            if summary is not None:
                summaries.append(summary)
                if keep and read is not None:
                    records.append(read[0])
    if findings:
        gc.collect()
    return findings, summaries, records


def _check_chunk_packed(
    chunk: Chunk,
) -> tuple[list[tuple[int, list[Finding]]], bytes | list, bytes | list]:
    """A worker's results: the few files with findings by position, every summary's
    fields after file and kind (which the parent knows) as one JSON array, and the records
    (``keep_records``) as one JSON array of the files' own bytes; either array as a list
    when a lone surrogate keeps orjson from writing it. Pickling 50,000 named tuples cost
    the parent a third of a second to read back; one JSON array costs a twentieth."""
    found_at: list[tuple[int, list[Finding]]] = []
    rows: list[Any] = []
    records: list[Record] = []
    texts: list[bytes] = []
    keep = _TASK["keep_records"]
    with collector_paused():
        for index, (path, display, kind) in enumerate(chunk):
            found_here, summary, read = _checked(
                path, display, kind, _TASK["today"], _TASK["allow_demo"]
            )
            if found_here:
                found_at.append((index, found_here))
            rows.append(None if summary is None else summary[2:])
            if keep and read is not None:
                records.append(read[0])
                texts.append(read[1] if read[1] is not None else b"")
    if found_at:
        gc.collect()
    return found_at, _packed(rows), _packed_records(records, texts)


def _packed(values: list[Any]) -> bytes | list[Any]:
    try:
        return orjson.dumps(values)
    except TypeError:
        return values


def _packed_records(records: list[Record], texts: list[bytes]) -> bytes | list[Any]:
    """The records as one JSON array: each canonical file's bytes as read (``texts``),
    any other record written anew."""
    try:
        pieces = [text or orjson.dumps(r) for r, text in zip(records, texts, strict=True)]
        return b"[" + b",".join(pieces) + b"]"
    except TypeError:
        return records


def _unpack(chunk: Chunk, packed: Any) -> Checked:
    found_at, rows, records = packed
    findings = [finding for _, found_here in found_at for finding in found_here]
    if isinstance(rows, bytes):
        rows = orjson.loads(rows)
    summaries = [
        Summary(display, kind, *row)
        for (_, display, kind), row in zip(chunk, rows, strict=True)
        if row is not None
    ]
    return findings, summaries, orjson.loads(records) if isinstance(records, bytes) else records


def check_files(
    items: Chunk, today: dt.date, allow_demo: bool, *, keep_records: bool = False
) -> Checked:
    """Every record file checked, in chunks over the machine's cores: the findings, the
    summaries, and (``keep_records``) the records, each at its summary's position."""
    _TASK.update(today=today, allow_demo=allow_demo, keep_records=keep_records)
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    # Compile before forking so each worker inherits the compiled patterns and validators.
    for check in CHECKS:
        check.prepare()
    results = workers.map_tagged(_check_chunk_packed, chunks, local=_check_chunk)
    findings: list[Finding] = []
    summaries: list[Summary] = []
    records: list[Record] = []
    with collector_paused():
        for chunk, (packed, result) in zip(chunks, results, strict=True):
            part_findings, part_summaries, part_records = (
                _unpack(chunk, result) if packed else result
            )
            findings += part_findings
            summaries += part_summaries
            records += part_records
    return findings, summaries, records


# ---------------------------------------------------------------- tables


def check_tables(data_dir: Path, names: list[str], cwd: str) -> list[Finding]:
    """The ``table`` checks on the hand-kept tables, and the ``text`` checks on each row."""

    def display(path: Path | str) -> str:
        return display_path(path, cwd)

    findings: list[Finding] = []
    for check in checks("table"):
        findings += check.check(TableContext(data_dir, names, display))
    text_checks = checks("text")
    for name in names:
        path = data_dir / hand_kept.file_name(name)
        titles = {
            f["name"]: (f.get("title", f["name"]), f["name"])
            for f in hand_kept.table_schema(name)["fields"]
        }
        try:
            rows = hand_kept.read_rows(path)
        except (OSError, UnicodeDecodeError, ValueError):
            continue  # the table check reports an unreadable table

        def label(pointer: str, titles: dict[str, tuple[str, str]] = titles) -> tuple[str, str]:
            column = pointer.rsplit("/", 1)[-1]
            return titles.get(column, (column, column))

        for number, row in enumerate(rows, start=2):  # row 1 is the header
            strings = [
                (f"/{number}/{column}", value)
                for column, value in row.items()
                if isinstance(column, str) and isinstance(value, str)
            ]
            context = TextContext(display(path), label, given=strings)
            for check in text_checks:
                findings += check.check(context)
    return findings


_TABLES: dict[str, Any] = {}


def _check_tables_job() -> list[Finding]:
    return check_tables(_TABLES["data_dir"], _TABLES["names"], _TABLES["cwd"])


# ---------------------------------------------------------------- a package's records


def check_package(root: Path, records: RecordSet, today: dt.date | None = None) -> list[Finding]:
    """The record, table and dataset checks on the records and hand-kept tables of a built
    package, for a package this process did not write from records it validated: each
    record as if it were at its place under data/, the tables as the package holds them."""
    today = today or dt.date.today()
    cwd = os.getcwd()
    findings: list[Finding] = []
    summaries: list[Summary] = []
    for kind, items in records.records.items():
        for record in items:
            display = _place(root, kind, record)
            findings += check_record(display, kind, record, today, True)
            summaries.append(summarise(display, kind, record))
    present = [n for n in hand_kept.names() if (root / hand_kept.file_name(n)).is_file()]
    findings += check_tables(root, present, cwd)
    programmes = {row.get("id") or "": row.get("province") or "" for row in records.programmes}
    context = DatasetContext(summaries, programmes if "programmes" in present else None, None, None)
    with collector_paused():
        for check in checks("dataset"):
            findings += check.check(context)
    return findings


def _place(root: Path, kind: str, record: dict[str, Any]) -> str:
    """Where a package's record would be under a data directory (so the checks of its file
    name and folder hold), shown under the package's root."""
    try:
        relative = record_kind(kind).relative_path(record)
    except (KeyError, TypeError, ValueError):
        relative = f"{record_kind(kind).folder}/{record.get('id')}.json"
    return f"{root.as_posix()}/{relative}"


# ---------------------------------------------------------------- the whole run


def validate(
    data_dir: Path,
    paths: list[Path] | None = None,
    *,
    today: dt.date | None = None,
    allow_demo: bool = False,
    keep_records: bool = False,
) -> Report:
    """Check ``paths`` (default: everything under ``data_dir``) and, with them, what the
    dataset checks need from the rest of ``data_dir``. ``keep_records``: hand over the
    records read (``Report.records``; every record file, so ``paths`` must be None)."""
    if keep_records and paths is not None:
        raise ValueError("keep_records reads every record file: paths must be None")
    today = today or dt.date.today()
    cwd = os.getcwd()
    everything = found.discover(data_dir) if data_dir.is_dir() else found.Discovery()
    if paths is None:
        named = None
        records, strays = everything.records, everything.strays
    else:
        named_records: list[found.RecordFile] = []
        strays = []
        for path in paths:
            if path.is_dir() and not path.is_symlink():
                inside = os.path.abspath(path) + os.sep
                named_records += [
                    r for r in everything.records if os.path.abspath(r.path).startswith(inside)
                ]
                strays += [
                    s for s in everything.strays if os.path.abspath(s.path).startswith(inside)
                ]
                continue
            judged = found.classify_path(path, data_dir)
            (named_records if isinstance(judged, found.RecordFile) else strays).append(judged)
        records = named_records
        named = {display_path(r.path, cwd) for r in records} | {
            display_path(s.path, cwd) for s in strays
        }
    report = Report(files=len(records) + len(strays), discovered=everything)
    for stray in strays:
        for check in checks("entry"):
            report.findings += check.check((display_path(stray.path, cwd), stray))
    items = _displayed(records, cwd)
    if named is None and everything.tables:
        # The tables (frictionless takes a while to import) in a worker beside the files.
        _TABLES.update(data_dir=data_dir, names=everything.tables, cwd=cwd)
        with workers.beside(_check_tables_job) as pending:
            findings, summaries, records = check_files(
                items, today, allow_demo, keep_records=keep_records
            )
            report.findings += pending.result() if pending else _check_tables_job()
    else:
        findings, summaries, records = check_files(
            items, today, allow_demo, keep_records=keep_records
        )
    report.findings += findings
    if keep_records:
        report.records = {}
        for summary, record in zip(summaries, records, strict=True):
            report.records.setdefault(summary.kind, []).append(record)
    if named is not None:
        # The dataset checks need every record: read the ones not named, quietly.
        others = [r for r in everything.records if display_path(r.path, cwd) not in named]
        _, more, _ = check_files(_displayed(others, cwd), today, True)
        summaries += more
    context = DatasetContext(summaries, hand_kept.programme_provinces(data_dir), data_dir, named)
    with collector_paused():
        for check in checks("dataset"):
            found_here = check.check(context)
            if named is not None:
                found_here = [f for f in found_here if f.file in named]
            report.findings += found_here
    report.findings.sort(key=lambda f: (f.file, f.pointer, f.rule))
    return report
