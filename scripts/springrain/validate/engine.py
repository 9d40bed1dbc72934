"""Validation: every file checked alone (in parallel when there are many), then across files.

The per-file pass is written for speed: a compiled schema check, and for canonical files
one RE2 scan over the raw text that proves most records clean without walking them.
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache, partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import orjson

from springrain.gcpause import collector_paused
from springrain.model.records import FOLDERS, discover, discover_files, is_canonical, kind_of
from springrain.model.schemas import field_label
from springrain.validate.checks import files as file_rules
from springrain.validate.checks import pii, prefilter, references, releases, schema, tables, text
from springrain.validate.checks import record as record_rules
from springrain.validate.checks.registry import Finding
from springrain.validate.checks.walk import iter_strings

PARALLEL_THRESHOLD = 3000
CHUNK = 1000
UTF8_BOM = b"\xef\xbb\xbf"
PII_EXEMPT = {"enterprise": {"/credit_code"}}


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


@lru_cache(maxsize=4096)
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


def _discovered_items(targets: list[tuple[str, str]], cwd: str) -> list[tuple[str, str, str]]:
    """(path, display path, kind) of discovered files: each folder's display path is worked
    out once (a hundred thousand files share a few dozen folders)."""
    shown: dict[str, str] = {}
    items = []
    for path, kind in targets:
        folder, _, name = path.rpartition(os.sep)
        prefix = shown.get(folder)
        if prefix is None:
            # A folder under the data directory: never empty, ".", or holding "..".
            prefix = shown[folder] = display_path(folder, cwd)
        items.append((path, f"{prefix}/{name}", kind))
    return items


def check_file(
    path: Path | str, display: str, kind: str, today: dt.date, allow_demo: bool
) -> tuple[list[Finding], references.Summary | None]:
    """All findings of one record file, and what the cross-record rules need from it."""
    try:
        data = read_bytes(path)
    except OSError as error:
        return [file_rules.SYNTAX.at(display, "", line=0, column=0, reason=str(error))], None
    # Nearly every file is clean: prove that with the quick checks alone, each the
    # negation of some findings; any doubt goes to the checks that say what is wrong.
    try:
        record: Any = orjson.loads(data)
    except orjson.JSONDecodeError:
        record = None
    if (
        record.__class__ is dict
        and display.endswith(".json")
        and is_canonical(kind, record, data)
        and schema.is_valid(kind, record)
        and (
            record_rules.project_is_clean(display, record, today.isoformat(), allow_demo)
            if kind == "project"
            else not record_rules.check_record(
                display, kind, record, today, partial(_label, kind), allow_demo
            )
        )
        and not prefilter.suspect(data)
    ):
        return [], summarise(display, kind, record)
    return _explain(data, display, kind, today, allow_demo)


def _explain(
    data: bytes, display: str, kind: str, today: dt.date, allow_demo: bool
) -> tuple[list[Finding], references.Summary | None]:
    """Every finding of a file the quick checks could not prove clean."""
    findings: list[Finding] = []
    has_bom = data.startswith(UTF8_BOM)
    if has_bom:
        findings.append(file_rules.BOM.at(display, "", path=display))
        data = data[len(UTF8_BOM) :]
    try:
        # orjson checks UTF-8 itself; the text is decoded only when something needs it.
        record: Any = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        content, guess = file_rules.decode(data)
        if content is None:
            findings.append(
                file_rules.NOT_UTF8.at(
                    display,
                    "",
                    encoding=guess or "GB18030",
                    guess=f"（看起来是 {guess}）" if guess else "",
                    guess_en=f" (it looks like {guess})" if guess else "",
                )
            )
        else:
            findings.append(
                file_rules.SYNTAX.at(
                    display, "", line=error.lineno, column=error.colno, reason=error.msg
                )
            )
        return findings, None
    canonical = isinstance(record, dict) and not has_bom and is_canonical(kind, record, data)
    if not canonical:
        try:
            record = file_rules.strict_parse(data.decode("utf-8"))
        except file_rules.DuplicateKey as error:
            findings.append(
                file_rules.DUPLICATE_KEY.at(display, "", name=references_safe(error.name))
            )
            return findings, None
        except (ValueError, RecursionError) as error:
            findings.append(
                file_rules.SYNTAX.at(display, "", line=0, column=0, reason=str(error)[:200])
            )
            return findings, None
    if not isinstance(record, dict):
        actual = schema.json_type(record)
        findings.append(
            file_rules.NOT_OBJECT.at(
                display, "", actual=schema.TYPE_ZH.get(actual, actual), actual_en=actual
            )
        )
        return findings, None
    if not canonical:
        findings.append(file_rules.NON_CANONICAL.at(display, "", path=display))
    if not display.endswith(".json"):
        findings.append(
            file_rules.LOCATION.at(display, "", expected=f"data/{FOLDERS[kind]}/…/<编号>.json")
        )

    def label(pointer: str) -> tuple[str, str]:
        return _label(kind, pointer)

    findings += schema.check(display, kind, record)
    findings += record_rules.check_record(display, kind, record, today, label, allow_demo)
    if not canonical or prefilter.suspect(data):
        strings = list(iter_strings(record))
        findings += text.check_strings(display, strings, label)
        exempt = PII_EXEMPT.get(kind, set())
        findings += pii.check_strings(display, strings, label, skip=exempt.__contains__)
    return findings, summarise(display, kind, record)


def references_safe(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


# The Summary fields read from a record, in order.
_SUMMARY_KEYS = ("id", "province", "programme", "project", "enterprise", "institution")


def summarise(display: str, kind: str, record: dict[str, Any]) -> references.Summary:
    title = record.get("project_name")
    return references.Summary(
        display,
        kind,
        *[value if value.__class__ is str else None for value in map(record.get, _SUMMARY_KEYS)],
        title if title.__class__ is str else None,
    )


def read_bytes(path: Path | str) -> bytes:
    """A whole file, with fewer layers than open().read(): this runs once per record."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(descriptor, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


_TASK: dict[str, Any] = {}


Chunk = list[tuple[str, str, str]]
# A worker's results: the few files with findings by position, and every summary's fields
# after file and kind (which the parent knows) as one JSON array, or as a list when a lone
# surrogate keeps orjson from writing it. Pickling 50,000 named tuples cost the parent a
# third of a second to read back; one JSON array costs a twentieth.
Packed = tuple[list[tuple[int, list[Finding]]], bytes | list[Any]]


# The collector keeps running while files are checked: explaining a broken record makes
# reference cycles (jsonschema's errors point at each other), and hostile input may be all
# broken records.
def _check_chunk(chunk: Chunk) -> tuple[list[Finding], list[references.Summary]]:
    findings: list[Finding] = []
    summaries = []
    for path, display, kind in chunk:
        found, summary = check_file(path, display, kind, _TASK["today"], _TASK["allow_demo"])
        findings += found
        if summary is not None:
            summaries.append(summary)
    return findings, summaries


def _check_chunk_packed(chunk: Chunk) -> Packed:
    found_at: list[tuple[int, list[Finding]]] = []
    rows: list[Any] = []
    for index, (path, display, kind) in enumerate(chunk):
        found, summary = check_file(path, display, kind, _TASK["today"], _TASK["allow_demo"])
        if found:
            found_at.append((index, found))
        rows.append(None if summary is None else summary[2:])
    try:
        return found_at, orjson.dumps(rows)
    except TypeError:
        return found_at, rows


def _check_shared(
    pool: ProcessPoolExecutor, items: Chunk
) -> tuple[list[Finding], list[references.Summary]]:
    """Every file checked, in chunks that the workers take from the end of the list while
    this process takes them from the front: a chunk no worker has started when this
    process reaches it, it checks itself, so neither side waits long for the other."""
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    futures = [pool.submit(_check_chunk_packed, chunk) for chunk in reversed(chunks)][::-1]
    results: list[tuple[list[Finding], list[references.Summary]]] = []
    for chunk, future in zip(chunks, futures, strict=True):
        if not future.cancel():
            break  # a worker has it, and every chunk after it
        results.append(_check_chunk(chunk))
    with collector_paused():
        for chunk, future in list(zip(chunks, futures, strict=True))[len(results) :]:
            results.append(_unpack(chunk, future.result()))
    findings = [finding for found, _ in results for finding in found]
    return findings, [summary for _, part in results for summary in part]


def _unpack(chunk: Chunk, packed: Packed) -> tuple[list[Finding], list[references.Summary]]:
    found_at, rows = packed
    findings = [finding for _, found in found_at for finding in found]
    if isinstance(rows, bytes):
        rows = orjson.loads(rows)
    summary = references.Summary
    summaries = [
        summary(display, kind, *row)
        for (_, display, kind), row in zip(chunk, rows, strict=True)
        if row is not None
    ]
    return findings, summaries


def _check_tables(data_dir: Path, root: Path) -> list[Finding]:
    return tables.check(data_dir, root)


def _pool(jobs: int) -> ProcessPoolExecutor:
    # Warm the caches before forking so each worker inherits compiled validators.
    for kind in FOLDERS:
        schema.fast_validator(kind)
    prefilter.warm()
    return ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork"))


def _cross_record(
    summaries: list[references.Summary],
    programmes: dict[str, str] | None,
    pool: ProcessPoolExecutor | None,
    jobs: int,
) -> list[Finding]:
    projects = [s for s in summaries if s.kind == "project"]
    if not pool:
        return references.check(summaries, programmes, duplicates=False) + (
            references.likely_duplicates(projects)
        )
    # Workers get the institution and title of each project and send back index pairs;
    # meanwhile this process checks ids and references, then searches its own part.
    parts = references.partition_by_institution(projects, jobs)
    pending = [
        pool.submit(references.duplicate_pairs, references.duplicate_texts(part))
        for part in parts[1:]
    ]
    cross = references.check(summaries, programmes, duplicates=False)
    cross += references.likely_duplicates(parts[0])
    for part, future in zip(parts[1:], pending, strict=True):
        cross += references.duplicate_findings(part, future.result())
    return cross


def validate(
    data_dir: Path,
    paths: list[Path] | None = None,
    *,
    today: dt.date | None = None,
    allow_demo: bool = False,
    jobs: int | None = None,
) -> Report:
    """Check ``paths`` (default: every record under ``data_dir``) and the tables beside them.

    With many files the work is spread over processes: the files in chunks, the hand-kept
    tables alongside, then the duplicate search split by institution."""
    today = today or dt.date.today()
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    cwd = os.getcwd()
    if paths is None:
        targets = list(discover_files(data_dir))
    else:
        targets = []
        for path in paths:
            if path.is_dir():
                found = list(discover(path))
                targets += found or [
                    (p, kind_of(p, data_dir) or "") for p in sorted(path.rglob("*.json"))
                ]
            else:
                targets.append((path, kind_of(path, data_dir) or ""))
    report = Report(files=len(targets))
    for path, kind in targets:
        if not kind:
            report.findings.append(
                file_rules.LOCATION.at(
                    display_path(path, cwd),
                    "",
                    expected="data/projects/<省份>/、data/enterprises/ 或 data/cooperations/",
                )
            )
    items = (
        _discovered_items(targets, cwd)
        if paths is None
        else [(os.fspath(p), display_path(p, cwd), k) for p, k in targets if k]
    )
    _TASK.update(today=today, allow_demo=allow_demo)
    parallel = jobs > 1 and len(items) >= PARALLEL_THRESHOLD
    # The main process works too: beside jobs - 1 workers it takes its own share, since a
    # process that only waited would still compete for the same cores when collecting.
    pool = _pool(jobs - 1) if parallel else None
    try:
        table_future = (
            pool.submit(_check_tables, data_dir, Path(cwd)) if pool and paths is None else None
        )
        if pool:
            found, summaries = _check_shared(pool, items)
            report.findings += found
        else:
            found, summaries = _check_chunk(items)
            report.findings += found
        report_files: set[str] | None = None
        if paths is not None:
            # Cross-record rules need the whole dataset: read the records not named, quietly.
            report_files = {s.file for s in summaries}
            for path, kind in discover(data_dir):
                display = display_path(path, cwd)
                if display not in report_files:
                    _, summary = check_file(path, display, kind, today, True)
                    if summary is not None:
                        summaries.append(summary)
        # A hundred thousand summaries and keys, and no cycles among them: the collector
        # would walk them again and again for nothing.
        with collector_paused():
            cross = _cross_record(summaries, tables.load_programmes(data_dir), pool, jobs)
        if report_files is not None:
            cross = [f for f in cross if f.file in report_files]
        report.findings += cross
        if paths is None:
            report.findings += (
                table_future.result() if table_future else tables.check(data_dir, Path(cwd))
            )
            report.findings += releases.check(data_dir)
    finally:
        if pool:
            pool.shutdown()
    report.findings.sort(key=lambda f: (f.file, f.pointer, f.rule))
    return report
