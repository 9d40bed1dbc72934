"""The publish gate: the last check before anything is published. Every text in the built
package and site — record files, tables, the workbook, the database, pages, feeds, the
catalogue index and the search index — is read with the contact-data detector
(``springrain.validate.contacts``, the same one validation uses); any hit fails the build.

Validation already refused contact data in the records; the gate is there in case a
template, a derived table or a future step ever puts some into an output (defence in depth).
Texts of one file are read together, separated by a character that ends any number, so a
column of counts or a table of figures is not read as one long number. A workbook's sheets
and a database's columns are read one by one, as parts: nothing they hold runs from one
into the next, and an e-mail marker in one (" at " in an English description, "AT" in a
credit code) makes the detector read that part closely, not the whole file.
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import os
import re
import sqlite3
import time
import zipfile
import zlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import orjson
import re2

from springrain import workers
from springrain.errors import SpringrainError
from springrain.package.writer import CHECKSUMS
from springrain.validate import contacts

# Between texts: a CJK ideograph (a letter, so it ends a run of digits; no numeral).
BREAK = "丨"
TAG = re.compile(r"<[^>]*>")
ATTRIBUTE = re.compile(r'\s(?:content|title|alt|aria-label|value)="([^"]*)"')
# A workbook's text elements, cut out of the XML as bytes ("<" is never part of a UTF-8
# sequence) and decoded once joined: a quarter quicker than decoding each sheet first.
ELEMENT_TEXT = re.compile(rb"<t[^>]*>([^<]*)</t>")
BREAK_BYTES = BREAK.encode("utf-8")
# A JSON string as written (escapes undone only where there are some).
JSON_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
# A checksum (hexadecimal digits in runs, by chance) under the key "hash", as in the data
# package descriptor: not text anyone wrote, and left out.
JSON_HASH = re.compile(r'"hash"\s*:\s*"(?:sha256:)?[0-9a-f]{64}"')
CHECKSUM_LINE = re.compile(r"^[0-9a-f]{64}  ", re.MULTILINE)
# A SHA-256 digest shown anywhere (the data page lists them): 64 hexadecimal digits hold
# runs of decimal ones by chance. Validation has already refused any record text with
# contact data in it, hexadecimal or not, so no digest-shaped text can carry one here.
HEX_DIGEST = re.compile(r"(?<![0-9A-Za-z])(?:sha256:)?[0-9a-f]{64}(?![0-9A-Za-z])")
HEX_DIGEST_ANYWHERE = re2.compile(r"[0-9a-f]{64}")  # the quick look first: RE2, linear
# Code (ours, the theme's, Pagefind's: its credits name its translators) and binary files
# hold no data; the data they show comes from the files read here.
SKIPPED_FOLDERS = ("assets",)
SKIPPED_SUFFIXES = (
    ".js",
    ".css",
    ".map",
    ".png",
    ".jpg",
    ".svg",
    ".ico",
    ".woff",
    ".woff2",
    ".gz",
    ".pf_index",
    ".pf_meta",
    ".pagefind",
    ".wasm",
)
MAX_HITS = 20
# How often a scan with nothing left to read looks again for folders that have arrived.
IDLE_POLL = 0.05
# Files this large are read one a task; smaller ones in batches of this many.
BATCH_BYTES = 1 << 20
BATCH_FILES = 400


@dataclass(frozen=True)
class Leak:
    path: str
    kind: str
    masked: str


def _json_text(raw: str) -> str:
    """Every string of a JSON document (keys too), separated by ``BREAK``; the values of
    checksums left out. The strings are cut out of the text as written, in one pass, and
    only those with an escape are decoded."""
    raw = JSON_HASH.sub("", raw)
    strings = JSON_STRING.findall(raw)
    if "\\" in raw:
        strings = [orjson.loads(f'"{string}"') if "\\" in string else string for string in strings]
    return BREAK.join(strings)


def _html_text(text: str) -> str:
    """The text of a page: between the tags, and in the attributes that show or say text
    (scripts are read too: a page's data may sit in one)."""
    return html.unescape(BREAK.join([TAG.sub(BREAK, text), *ATTRIBUTE.findall(text)]))


def _sqlite_texts(connection: sqlite3.Connection) -> list[str]:
    """Every text value of every table, a column's concatenated by SQLite itself: all the
    columns of a table in one pass over it (a pass per column took half as long again)."""
    parts = []
    tables = [
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    ]
    for table in tables:
        quoted = table.replace('"', '""')
        names = [
            row[1].replace('"', '""')
            for row in connection.execute(f'PRAGMA table_info("{quoted}")')
        ]
        if not names:
            continue
        columns = ", ".join(
            f'group_concat(CASE WHEN typeof("{name}") = \'text\' THEN "{name}" END, ?1)'
            for name in names
        )
        row = connection.execute(f'SELECT {columns} FROM "{quoted}"', (BREAK,)).fetchone()
        parts += [joined for joined in row if joined]
    return parts


def texts_of(name: str, data: bytes, twins: Callable[[str, zipfile.ZipInfo], bool]) -> list[str]:
    """The texts a file holds, by its kind, separated by ``BREAK``, in parts that nothing
    runs across (a workbook's sheets, a database's columns, a zip's members; most files
    are one part). ``twins`` tells whether a member of a zip is a copy of a file read on
    its own (then it is not read twice)."""
    if name.endswith((".sqlite", ".xlsx", ".zip")):
        return _parts_of(name, data, twins)
    return [_text_of(name, data)]


def _parts_of(name: str, data: bytes, twins: Callable[[str, zipfile.ZipInfo], bool]) -> list[str]:
    if name.endswith(".sqlite"):
        connection = sqlite3.connect(":memory:")
        try:
            connection.deserialize(data)
            return _sqlite_texts(connection)
        finally:
            connection.close()
    if name.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return [
                html.unescape(
                    BREAK_BYTES.join(ELEMENT_TEXT.findall(book.read(member))).decode(
                        "utf-8", "replace"
                    )
                )
                for member in book.namelist()
                if member.endswith(".xml")
            ]
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        return [
            part
            for info in bundle.infolist()
            if not info.is_dir()
            and not info.filename.endswith(SKIPPED_SUFFIXES)
            and not twins(name, info)
            for part in texts_of(info.filename, bundle.read(info), twins)
        ]


def _text_of(name: str, data: bytes) -> str:
    """The text of a file of one part."""
    if name.endswith(".json"):
        return _json_text(data.decode("utf-8", "replace"))
    if name.endswith(".csv"):
        # Every cell is read, however long: the csv module's limit is process-wide (and
        # libraries raise it), so it is raised here to the file's size, which no cell exceeds.
        if csv.field_size_limit() < len(data):
            csv.field_size_limit(len(data))
        rows = csv.reader(io.StringIO(data.decode("utf-8", "replace"), newline=""))
        return BREAK.join(BREAK.join(row) for row in rows)
    if name.endswith((".html", ".xml")):
        return _html_text(data.decode("utf-8", "replace"))
    if name.endswith(".pf_fragment"):
        return _json_text(gzip.decompress(data)[12:].decode("utf-8", "replace"))
    if name == CHECKSUMS:
        return CHECKSUM_LINE.sub("", data.decode("utf-8", "replace"))
    return data.decode("utf-8", "replace")


def _twins(roots: tuple[str, ...]) -> Callable[[str, zipfile.ZipInfo], bool]:
    """Whether a zip member is byte for byte a file under one of ``roots`` at the same
    path (the site's bundle holds the package's files, which are read on their own): same
    size and same CRC-32, the checksum the zip records for the member."""

    def twins(_: str, info: zipfile.ZipInfo) -> bool:
        for root in roots:
            path = os.path.join(root, *info.filename.split("/"))
            try:
                if os.path.getsize(path) != info.file_size:
                    continue
                with open(path, "rb") as handle:
                    if zlib.crc32(handle.read()) == info.CRC:
                        return True
            except OSError:
                continue
        return False

    return twins


def _texts_of_file(path: str, roots: tuple[str, ...]) -> list[str] | Leak:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        return [
            HEX_DIGEST.sub(BREAK, text) if HEX_DIGEST_ANYWHERE.search(text) else text
            for text in texts_of(os.path.basename(path), data, _twins(roots))
        ]
    except (OSError, ValueError, csv.Error, zipfile.BadZipFile, sqlite3.Error, EOFError) as error:
        return Leak(path, "unreadable", str(error)[:80])


def scan_files(paths: list[str], roots: tuple[str, ...] = ()) -> list[Leak]:
    """The leaks in ``paths``. Their texts are read together first (``BREAK`` between
    files as between texts, so one file's text never runs into the next's); only when that
    finds something is each file read alone, part by part, which is what is reported."""
    texts: dict[str, list[str]] = {}
    leaks: list[Leak] = []
    for path in paths:
        parts = _texts_of_file(path, roots)
        if isinstance(parts, Leak):
            leaks.append(parts)
        else:
            texts[path] = parts
    if len(texts) > 1 and not contacts.find(
        BREAK.join(part for parts in texts.values() for part in parts)
    ):
        return leaks
    for path, parts in texts.items():
        hits = dict.fromkeys(hit for part in parts for hit in contacts.find(part))
        leaks += [Leak(path, hit.kind, hit.masked) for hit in hits]
    return leaks


def files_of(root: Path, skipping: Collection[str] = ()) -> list[tuple[str, int]]:
    """Every file under ``root`` worth reading, with its size, each inode once (the site
    links the package's files in), but for those under the folders ``skipping`` (absolute
    paths)."""
    seen: set[tuple[int, int]] = set()
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [
            d
            for d in dirs
            if d not in SKIPPED_FOLDERS and os.path.abspath(os.path.join(folder, d)) not in skipping
        ]
        for name in names:
            if name.endswith(SKIPPED_SUFFIXES):
                continue
            path = os.path.join(folder, name)
            info = os.stat(path)
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            found.append((path, info.st_size))
    found.sort(key=lambda file: -file[1])  # batches of files of like sizes
    return found


def _work(path: str, size: int) -> int:
    """How much text a file holds, roughly: its size, or a workbook's unpacked size (a
    workbook of 16 MB is some 150 MB of sheets, and the longest of the gate's tasks)."""
    if path.endswith(".xlsx"):
        try:
            with zipfile.ZipFile(path) as book:
                return sum(info.file_size for info in book.infolist())
        except (OSError, zipfile.BadZipFile):
            pass
    return size


class Task(NamedTuple):
    paths: list[str]
    roots: tuple[str, ...]  # where the files a zip's members may be copies of are
    work: int  # how much there is to read, roughly (``_work``)


def _scan_task(task: Task) -> list[Leak]:
    return scan_files(task.paths, task.roots)


def from_both_ends(tasks: list[Task]) -> list[Task]:
    """``tasks`` ordered for ``workers.map_shared``, where this process takes tasks from the
    front and the workers from the back: the longest at both ends, the shortest in the
    middle, so that both sides start with a long task and end with a short one, and
    neither is left alone with a long one at the end."""
    longest_first = sorted(tasks, key=lambda task: -task.work)
    return longest_first[0::2] + longest_first[1::2][::-1]


class Scan:
    """A scan of every file under ``roots`` at the time it is made: the large files one a
    task, the small ones (pages, feeds) read together in batches. Part of it may be run
    while something else keeps a core busy (``run_while``); ``finish`` runs the rest over
    every core and returns every leak found."""

    def __init__(self, *roots: Path, leaving_out: Path | None = None) -> None:
        """``leaving_out``: a folder under the roots still being written (the search index),
        for ``include`` once it is complete, whole or a folder at a time."""
        self.large: list[Task] = []
        self.small: list[Task] = []
        self.leaks: list[Leak] = []
        self.included: set[str] = set()  # absolute paths of the folders read or to be read
        self.include(*roots, leaving_out=leaving_out)

    def include(self, *roots: Path, leaving_out: Path | None = None) -> None:
        """The files under ``roots`` too (a folder written since the scan was made), but for
        those of folders included already."""
        present = tuple(str(root) for root in roots if root.is_dir())
        skipping = set(self.included)
        if leaving_out is not None:
            skipping.add(os.path.abspath(leaving_out))
        files = [found for root in present for found in files_of(Path(root), skipping)]
        self.included.update(os.path.abspath(root) for root in present)
        self.large += [
            Task([path], present, _work(path, size)) for path, size in files if size >= BATCH_BYTES
        ]
        self.large.sort(key=lambda task: -task.work)
        small = [(path, size) for path, size in files if size < BATCH_BYTES]
        for i in range(0, len(small), BATCH_FILES):
            batch = small[i : i + BATCH_FILES]
            self.small.append(
                Task([path for path, _ in batch], present, sum(size for _, size in batch))
            )

    def run_while(
        self, busy: Callable[[], bool], arrived: Callable[[], Sequence[Path]] = tuple
    ) -> None:
        """Small batches, in this process, one at a time while ``busy()``: a batch holds
        about a megabyte of text, so this adds little to the memory of whatever is busy
        (the large files, read whole, wait for ``finish``). ``arrived()``: the folders
        complete since (the search index's parts, each moved in whole while the next is
        made), included as they come, so this process reads them rather than wait."""
        while busy():
            for folder in arrived():
                if os.path.abspath(folder) not in self.included:
                    self.include(Path(folder))
            if self.small:
                self.leaks += _scan_task(self.small.pop())
            else:
                time.sleep(IDLE_POLL)

    def finish(self) -> list[Leak]:
        tasks = from_both_ends(self.large + self.small)
        self.large, self.small = [], []
        self.leaks += [leak for part in workers.map_shared(_scan_task, tasks) for leak in part]
        return self.leaks


def scan(*roots: Path) -> list[Leak]:
    """Every leak of contact data in the files under ``roots``."""
    return Scan(*roots).finish()


def check(*roots: Path) -> None:
    """Fail with the leaks found, if any."""
    refuse(scan(*roots))


def refuse(leaks: list[Leak]) -> None:
    """Fail with ``leaks``, if there are any: nothing is published."""
    if not leaks:
        return
    lines = [f"  {leak.path}: {leak.kind} {leak.masked}" for leak in leaks[:MAX_HITS]]
    more = (
        f"\n  …（另有 {len(leaks) - MAX_HITS} 处 / {len(leaks) - MAX_HITS} more）"
        if len(leaks) > MAX_HITS
        else ""
    )
    raise SpringrainError(
        f"发布检查在生成的文件中发现了疑似个人联系方式或无法读取的文件（{len(leaks)} 处），"
        "已停止发布：\n"
        + "\n".join(lines)
        + more
        + "\n请找出它来自哪条记录或哪个模板并改正（unreadable 表示该文件无法完整读取，"
        "例如文件已损坏）。",
        f"The publish gate found what looks like personal contact data, or a file it cannot "
        f"read, in the built files ({len(leaks)}); nothing is published until it is fixed.",
    )
