"""The site's full-text search: Pagefind indexes one small stub page per record.

The stubs (``records.search_stub``) are written first and Pagefind is started on them at
once, in its own process, while the rest of the site is built; ``finish`` waits for it and
moves the bundle into the site. A pipeline can also build the bundle as a step of its own
(``build_bundle``, beside the rest of the package, matching and statistics, which mostly
leave a core idle) and hand it to the site (``use_bundle``), which checks that it was made
from the same records.

Pagefind writes one file per record, from a hundred threads: on this project's 2-core
build machine, writing them to disk cost it 6-7 s more in the kernel than writing them to
memory, and copying them to disk afterwards, one by one, 1.5-5 s. So stubs and bundle are
staged on a RAM-backed scratch directory when the system has one. Pagefind's allocator is
asked for transparent huge pages: with 4 KB pages it spent a third of its time in the
kernel, faulting memory in.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from springrain.errors import SpringrainError
from springrain.package.sitereader import RECORD_FILES, Package, load_records
from springrain.package.writer import sha256
from springrain.site.output import clear_output
from springrain.site.recordpages import check_ids, search_stub

SEARCH_GLOB = "{projects,enterprises}/*.html"
# A prebuilt bundle: ``<dir>/pagefind/`` and, beside it, what it was made from.
BUNDLE = "pagefind"
SOURCE = "source.json"
INDEXED_KEYS = ("projects", "enterprises")
INDEXED_FILES = tuple(RECORD_FILES[key] for key in INDEXED_KEYS)
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


def source_of(package: Package) -> dict[str, str]:
    """The sha256 of each package file the index is made from."""
    return {name: sha256(package.root / name) for name in INDEXED_FILES}


def build_bundle(package_dir: Path, out: Path) -> int:
    """Index the package's records into ``out/pagefind``; returns how many were indexed."""
    # Only the records: matching and statistics may be writing their files beside this.
    package = load_records(package_dir, INDEXED_KEYS)
    check_ids(package)  # ids become the stubs' file names
    clear_output(out)
    out.mkdir(parents=True)
    if package.projects or package.enterprises:  # with nothing to find the site has no search
        with indexing(package, out / BUNDLE):
            pass
    (out / SOURCE).write_text(json.dumps(source_of(package), indent=2) + "\n", encoding="utf-8")
    return len(package.projects) + len(package.enterprises)


def use_bundle(package: Package, bundle_dir: Path, destination: Path) -> None:
    """Put a bundle from ``build_bundle`` at ``destination``, if it indexes these records."""
    try:
        made_from = json.loads((bundle_dir / SOURCE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        made_from = None
    if not (bundle_dir / BUNDLE).is_dir() or made_from is None:
        raise SpringrainError(
            f"{bundle_dir} 不是完整的搜索索引。请先运行 springrain search-index，"
            "或去掉 --search-bundle 由 site 自行建立索引。",
            f"{bundle_dir} holds no complete search index; run springrain search-index "
            "first, or leave out --search-bundle.",
        )
    if made_from != source_of(package):
        raise SpringrainError(
            f"{bundle_dir} 中的搜索索引是由另一版记录生成的，与数据包 {package.root} 不符。"
            "请重新运行 springrain search-index。",
            f"The search index in {bundle_dir} was made from other records than the package "
            f"{package.root}; run springrain search-index again.",
        )
    # Hard links where the file system allows (the bundle is replaced, never edited, by
    # build_bundle), copies elsewhere.
    shutil.copytree(bundle_dir / BUNDLE, destination, copy_function=_link_or_copy)


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)
