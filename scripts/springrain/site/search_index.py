"""The site's full-text search: Pagefind indexes one small stub page per record.

The stubs (``search_stub``) are written first and Pagefind is started on them at once, in
its own process, while the rest of the site is built; ``finish`` waits for it and moves the
bundle into the site.

Pagefind writes one file per record, from a hundred threads: on this project's 2-core
build machine, writing them to disk cost it 6-7 s more in the kernel than writing them to
memory, and copying them to disk afterwards, one by one, 1.5-5 s. So stubs and bundle are
staged on a RAM-backed scratch directory when the system has one. Pagefind's allocator is
asked for transparent huge pages: with 4 KB pages it spent a third of its time in the
kernel, faulting memory in.
"""

from __future__ import annotations

import operator
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from markupsafe import escape

from springrain.errors import SpringrainError
from springrain.package.reader import Package
from springrain.site.views import label

SEARCH_GLOB = "{projects,enterprises}/*.html"
BUNDLE = "pagefind"
# Linux's shared-memory mount: RAM-backed where it exists (it does on GitHub's runners).
RAM_SCRATCH = Path("/dev/shm")


def scratch_root() -> str | None:
    """Where to stage the stubs and the bundle: RAM-backed if possible, else the default."""
    if RAM_SCRATCH.is_dir() and os.access(RAM_SCRATCH, os.W_OK | os.X_OK):
        return str(RAM_SCRATCH)
    return None


# jemalloc (Pagefind's allocator on Linux) reads this; huge pages cut its page faults from
# 1.3 million to a few thousand at 25,000 records, and it keeps what it freed for reuse.
JEMALLOC_CONF = "thp:always,metadata_thp:always,dirty_decay_ms:-1,muzzy_decay_ms:-1"


CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")


def search_terms(*texts: object) -> str:
    """The words Pagefind indexes for a record: every two-character window of each run of
    Chinese characters (脑血管 → 脑血 血管) and every Latin or numeric word.

    Pagefind matches each query term as the prefix of an indexed word and does not segment
    Chinese queries; cutting both the index and the query (static/search.js) into the same
    character pairs finds a record by any word of its title, principle or intended use,
    whatever a dictionary would have made of it, and costs no dictionary at build time."""
    words: set[str] = set()
    for text in texts:
        for run in CJK_RUN.findall(str(text or "")):
            if run.isascii():
                words.add(run.lower())
            elif len(run) == 1:
                words.add(run)
            else:
                # Each character joined to the next, in C: a generator of slices here was
                # most of the cost of a search stub.
                words.update(map(operator.add, run, run[1:]))
    return " ".join(sorted(words))


def search_stub(kind: str, record: dict[str, Any]) -> str:
    """A tiny page holding only what search needs: the title, the cut words and the labels
    shown with a result. Pagefind indexes these instead of the full pages (a fifth of the
    bytes to parse) at the same URLs, so results link to the real pages."""
    if kind == "project":
        title = record.get("project_name", record["id"])
        terms = search_terms(
            title,
            record.get("working_principle"),
            record.get("intended_use"),
            record.get("innovation_points"),
            record.get("structure"),
            record.get("institution"),
        )
        meta = [
            ("编号", record["id"]),
            ("单位", record.get("institution", "")),
            ("状态", label("statuses", record.get("status", ""))),
        ]
    else:
        title = record.get("name", record["id"])
        terms = search_terms(title, record.get("profile"))
        meta = [("编号", record["id"]), ("省份", label("provinces", record.get("province", "")))]
    # Built here rather than from a template: Jinja's set-up per render was a third of the
    # cost of 25,000 stubs. Every value is escaped as the templates escape.
    heading = escape(title)
    spans = "".join(
        f'<span data-pagefind-meta="{escape(key)}">{escape(value)}</span>' for key, value in meta
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{heading}</title></head>\n<body><h1 data-pagefind-body>{heading}</h1>{spans}"
        f"\n<div data-pagefind-body>{escape(terms)}</div></body></html>\n"
    )


def write_stubs(package: Package, stubs: Path) -> None:
    """One stub per project and enterprise, at the path its real page has in the site."""
    for folder, kind, records in (
        ("projects", "project", package.projects),
        ("enterprises", "enterprise", package.enterprises),
    ):
        directory = stubs / folder
        directory.mkdir(parents=True, exist_ok=True)
        for record in records:
            write_file(os.path.join(directory, f"{record['id']}.html"), search_stub(kind, record))


def write_file(path: str, text: str) -> None:
    """A new file holding ``text`` in UTF-8, with fewer layers than open(): 25,000 of them."""
    data = memoryview(text.encode("utf-8"))
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        while data:
            data = data[os.write(descriptor, data) :]
    finally:
        os.close(descriptor)


def pagefind_environment() -> dict[str, str]:
    environment = dict(os.environ)
    if sys.platform == "linux":
        environment.setdefault("_RJEM_MALLOC_CONF", JEMALLOC_CONF)
    return environment


def start(stubs: Path, bundle: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(stubs),
        "--output-path",
        str(bundle),
        "--glob",
        SEARCH_GLOB,
        # The records' words are already cut (records.search_terms): a forced language
        # keeps Pagefind from segmenting them again, which is slow and could split pairs.
        "--force-language",
        "en",
        "--silent",
    ]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=pagefind_environment()
    )


def finish(indexer: subprocess.Popen[bytes], bundle: Path, destination: Path) -> None:
    """Wait for Pagefind, then put its bundle at ``destination`` (replacing any there)."""
    out, err = indexer.communicate()
    if indexer.returncode != 0:
        message = (err or out).decode("utf-8", "replace").strip()
        raise SpringrainError(
            f"Pagefind 建立搜索索引失败（退出码 {indexer.returncode}）：{message}",
            f"Pagefind failed to build the search index (exit {indexer.returncode}); "
            "see the message above.",
        )
    if destination.exists():
        shutil.rmtree(destination)
    try:
        os.rename(bundle, destination)
    except OSError:  # another file system: copy, file by file
        copy_tree(str(bundle), str(destination))


def copy_tree(source: str, destination: str) -> None:
    """A copy of the folder ``source`` (contents only: no times, modes or links kept), with
    a quarter of the system calls of shutil.copytree: 25,000 files at a time."""
    os.mkdir(destination)
    with os.scandir(source) as entries:
        for entry in entries:
            target = os.path.join(destination, entry.name)
            if entry.is_dir(follow_symlinks=False):
                copy_tree(entry.path, target)
            else:
                _copy_file(entry.path, target)


def _copy_file(source: str, destination: str) -> None:
    reader = os.open(source, os.O_RDONLY)
    try:
        writer = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            left = os.fstat(reader).st_size
            while left > 0:
                sent = os.sendfile(writer, reader, None, left)
                if sent == 0:
                    raise OSError(f"{source} ended early")
                left -= sent
        except OSError:
            # sendfile to a file is Linux's; elsewhere the standard library's way.
            os.close(writer)
            writer = -1
            shutil.copyfile(source, destination)
        finally:
            if writer >= 0:
                os.close(writer)
    finally:
        os.close(reader)


@contextmanager
def indexing(package: Package, destination: Path) -> Iterator[Path]:
    """Start indexing ``package`` in the background; on leaving the block without an
    error, wait and move the bundle to ``destination``. On an error, stop Pagefind."""
    with tempfile.TemporaryDirectory(prefix="springrain-search-", dir=scratch_root()) as work:
        stubs, bundle = Path(work) / "stubs", Path(work) / "pagefind"
        write_stubs(package, stubs)
        indexer = start(stubs, bundle)
        try:
            yield bundle
        except BaseException:
            indexer.kill()
            indexer.communicate()
            raise
        finish(indexer, bundle, destination)
