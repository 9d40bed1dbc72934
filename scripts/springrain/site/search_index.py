"""The site's full-text search: Pagefind indexes one small stub page per record.

The stubs (``records.search_stub``) are written first and Pagefind is started on them at
once, in its own process, while the rest of the site is built; ``finish`` waits for it and
moves the bundle into the site. Pagefind writes one file per record: on this project's
2-core build machines that takes it twice as long on disk as in memory, so stubs and
bundle are staged on a RAM-backed scratch directory when the system has one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import SpringrainError
from .package import Package
from .records import search_stub

SEARCH_GLOB = "{projects,enterprises}/*.html"
# Linux's shared-memory mount: RAM-backed where it exists (it does on GitHub's runners).
RAM_SCRATCH = Path("/dev/shm")


def scratch_root() -> str | None:
    """Where to stage the stubs and the bundle: RAM-backed if possible, else the default."""
    if RAM_SCRATCH.is_dir() and os.access(RAM_SCRATCH, os.W_OK | os.X_OK):
        return str(RAM_SCRATCH)
    return None


def write_stubs(package: Package, stubs: Path) -> int:
    """One stub per project and enterprise, at the path its real page has in the site."""
    count = 0
    for folder, kind, records in (
        ("projects", "project", package.projects),
        ("enterprises", "enterprise", package.enterprises),
    ):
        (stubs / folder).mkdir(parents=True, exist_ok=True)
        for record in records:
            (stubs / folder / f"{record['id']}.html").write_text(
                search_stub(kind, record), encoding="utf-8"
            )
            count += 1
    return count


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
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


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
    shutil.move(bundle, destination)


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
