"""The site's folders of one file per record, kept from one build to the next and written
over in place.

A build writes some 50,000 files: a page and a search fragment per record. Deleting the
previous site and creating them all anew makes the file system allocate 50,000 inodes just
after freeing as many, and ext4 without a journal (this project's build machine) passes over
every inode freed less than a minute ago (six while its table block is unwritten), reading
that block to tell: each new file cost a walk over all those just freed. Measured with perf
on a rebuild of 20,000 projects: some 16 of its ~170 CPU-seconds, in ``find_inode_bit`` →
``recently_deleted``. A file written over one of the same name keeps its inode and costs
none of that.

So these folders (each record kind's pages, the search bundle) survive the emptying of the
site's folder: ``clear`` empties it but for them, which it moves into a hidden folder that
mkdocs leaves alone when it empties the site in turn, and ``restore`` puts them back. Before
a folder is written over, ``prune`` deletes every entry the new build will not write: no
page or fragment of a removed record stays published, and no link planted there is written
through.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection, Mapping
from pathlib import Path

HOLDING = ".springrain-kept"  # hidden: mkdocs does not empty hidden entries
# Opening for writing over: never through a link (``prune`` has removed any; this is the
# guard if one appeared since), and not truncated to nothing first (``write``).
OVER = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW


def write(path: str, data: bytes) -> None:
    """``data`` written over the file at ``path`` (made if missing), then cut to its length.
    Not truncated to nothing first: ext4 flushes a file emptied and written again when it is
    closed (``auto_da_alloc``), which made 20,000 pages take twice as long."""
    descriptor = os.open(path, OVER, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.ftruncate(descriptor, len(data))
    finally:
        os.close(descriptor)


def remove(path: Path | str) -> None:
    """Delete ``path`` whatever it is (a link itself, never what it points to)."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def clear(out: Path, kept: Collection[str]) -> None:
    """Empty ``out`` (made if missing) but for its real folders named in ``kept``, which are
    moved into its holding folder (where a build that stopped half-way may have left an
    older copy: it gives way)."""
    out.mkdir(parents=True, exist_ok=True)
    holding = out / HOLDING
    if holding.is_symlink() or (holding.exists() and not holding.is_dir()):
        remove(holding)
    holding.mkdir(exist_ok=True)
    with os.scandir(out) as entries:
        for entry in list(entries):
            if entry.name == HOLDING:
                continue
            if entry.name in kept and entry.is_dir(follow_symlinks=False):
                remove(holding / entry.name)
                os.rename(entry.path, holding / entry.name)
            else:
                remove(entry.path)
    with os.scandir(holding) as entries:
        for entry in list(entries):
            if entry.name not in kept or not entry.is_dir(follow_symlinks=False):
                remove(entry.path)


def restore(out: Path) -> None:
    """The folders ``clear`` kept put back into ``out``, unless something made one of the
    same name meanwhile (then the kept one is dropped); the holding folder removed."""
    holding = out / HOLDING
    if not holding.is_dir() or holding.is_symlink():
        remove(holding)
        return
    with os.scandir(holding) as entries:
        for entry in list(entries):
            if not os.path.lexists(out / entry.name):
                os.rename(entry.path, out / entry.name)
    shutil.rmtree(holding)


def prune(folder: Path | str, wanted: Mapping[str, bool]) -> None:
    """Delete every entry of ``folder`` but the ones about to be written over: those named in
    ``wanted`` (name → whether it is a folder) and of that type, never a link."""
    with os.scandir(folder) as entries:
        for entry in list(entries):
            is_folder = wanted.get(entry.name)
            # Neither a link nor anything else of the wrong type: a pipe would block writing.
            if is_folder is None or not (
                entry.is_dir(follow_symlinks=False)
                if is_folder
                else entry.is_file(follow_symlinks=False)
            ):
                remove(entry.path)
