"""The publish gate: the last check before anything is published. Every text in the built
package and site — record files, tables, the workbook, the database, pages, feeds, the
catalogue index and the search index — is read with the contact-data detector
(``springrain.validate.contacts``, the same one validation uses); any hit fails the build.

Validation already refused contact data in the records; the gate is there in case a
template, a derived table or a future step ever puts some into an output (defence in depth).
Texts of one file are read together, separated by a character that ends any number, so a
column of counts or a table of figures is not read as one long number.
"""

from __future__ import annotations

import csv
import gzip
import html
import os
import re
import sqlite3
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from springrain import workers
from springrain.errors import SpringrainError
from springrain.validate import contacts

# Between texts: a CJK ideograph (a letter, so it ends a run of digits; no numeral).
BREAK = "丨"
TAG = re.compile(r"<[^>]*>")
ATTRIBUTE = re.compile(r'(?:content|title|alt|aria-label|value)="([^"]*)"')
SHARED_TEXT = re.compile(rb"<t[^>]*>([^<]*)</t>")
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
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


@dataclass(frozen=True)
class Leak:
    path: str
    kind: str
    masked: str


def _json_texts(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        node = stack.pop()
        if node.__class__ is str:
            yield node
        elif node.__class__ is dict:
            for key, item in node.items():
                yield str(key)
                stack.append(item)
        elif node.__class__ is list:
            stack.extend(node)


def _html_texts(text: str) -> Iterator[str]:
    yield from SCRIPT.findall(text)
    yield from ATTRIBUTE.findall(text)
    for part in TAG.split(SCRIPT.sub("", text)):
        if part.strip():
            yield html.unescape(part)


def texts_of(path: Path) -> Iterable[str]:
    """The texts a file holds, by its kind."""
    name = path.name
    if name.endswith(".json"):
        return _json_texts(orjson.loads(path.read_bytes()))
    if name.endswith(".csv"):
        with open(path, encoding="utf-8", newline="") as handle:
            return [cell for row in csv.reader(handle) for cell in row]
    if name.endswith((".html", ".xml")):
        return _html_texts(path.read_text(encoding="utf-8", errors="replace"))
    if name.endswith(".xlsx"):
        with zipfile.ZipFile(path) as book:
            return [
                html.unescape(match.decode("utf-8", "replace"))
                for member in book.namelist()
                if member.endswith(".xml")
                for match in SHARED_TEXT.findall(book.read(member))
            ]
    if name.endswith(".sqlite"):
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = [
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            return [
                str(value)
                for table in tables
                for row in connection.execute(f'SELECT * FROM "{table}"')
                for value in row
                if isinstance(value, str)
            ]
        finally:
            connection.close()
    if name.endswith(".pf_fragment"):
        return _json_texts(orjson.loads(gzip.decompress(path.read_bytes())[12:] or b"{}"))
    return [path.read_text(encoding="utf-8", errors="replace")]


def scan_file(path: str) -> list[Leak]:
    try:
        texts = texts_of(Path(path))
        found = contacts.find(BREAK.join(texts))
    except (OSError, ValueError, zipfile.BadZipFile, sqlite3.Error, EOFError) as error:
        return [Leak(path, "unreadable", str(error)[:80])]
    return [Leak(path, hit.kind, hit.masked) for hit in found]


def files_of(root: Path) -> list[str]:
    """Every file under ``root`` worth reading, each inode once (the site links the
    package's files in)."""
    seen: set[tuple[int, int]] = set()
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIPPED_FOLDERS]
        for name in names:
            if name.endswith(SKIPPED_SUFFIXES):
                continue
            path = os.path.join(folder, name)
            info = os.stat(path)
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            found.append(path)
    found.sort(key=lambda p: -os.path.getsize(p))  # the largest first: workers share evenly
    return found


def _scan_files(paths: list[str]) -> list[Leak]:
    return [leak for path in paths for leak in scan_file(path)]


def scan(*roots: Path) -> list[Leak]:
    """Every leak of contact data in the files under ``roots``."""
    paths = [path for root in roots if root.is_dir() for path in files_of(root)]
    batches = [paths[i::64] for i in range(min(64, len(paths)))]
    return [leak for part in workers.map_shared(_scan_files, batches) for leak in part]


def check(*roots: Path) -> None:
    """Fail with the leaks found, if any."""
    leaks = scan(*roots)
    if not leaks:
        return
    lines = [f"  {leak.path}: {leak.kind} {leak.masked}" for leak in leaks[:MAX_HITS]]
    more = (
        f"\n  …（另有 {len(leaks) - MAX_HITS} 处 / {len(leaks) - MAX_HITS} more）"
        if len(leaks) > MAX_HITS
        else ""
    )
    raise SpringrainError(
        f"发布检查在生成的文件中发现了疑似个人联系方式（{len(leaks)} 处），已停止发布：\n"
        + "\n".join(lines)
        + more
        + "\n请找出它来自哪条记录或哪个模板并改正。",
        f"The publish gate found what looks like personal contact data in the built files "
        f"({len(leaks)}); nothing is published until it is fixed.",
    )
