"""The one discovery of record files under a data directory.

Everything under ``data/`` is either a record file (a regular file ``<id>.json`` in its
kind's folder, projects one folder deeper, by province), a hand-kept table
(``<name>.csv`` at the top), or a *stray*: a symlink, a hidden file, a git submodule, a
folder where a record file belongs, a file with another extension, a file in the wrong
place, or something that is not a file at all. Strays are never skipped: validation reports
each one as an error, and so nothing downstream can publish, or lose, what it did not check.

``classify`` judges one path by its parts and its type, so the same judgement applies to a
folder on disk (``discover``), to a path named on the command line, and to the entries of a
git tree (``springrain policy``).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from springrain import gitrepo
from springrain.model import tables
from springrain.model.kinds import kind_of_folder

# What a path is: a regular file, a folder, or one of the things a record never is.
FILE, FOLDER, SYMLINK, SUBMODULE, SPECIAL = "file", "folder", "symlink", "submodule", "special"
GIT_MODES = {"120000": SYMLINK, "160000": SUBMODULE, "040000": FOLDER}

# Problems a stray can have, most specific first; validate.checks.files words each one.
HIDDEN = "hidden"
LINK = "symlink"
MODULE = "submodule"
NOT_A_FILE = "special"
FOLDER_FOR_FILE = "folder"
EXTENSION = "extension"
MISPLACED = "misplaced"
UNEXPECTED = "unexpected"


@dataclass(frozen=True)
class RecordFile:
    path: str  # as found: data_dir joined with the relative path
    kind: str


@dataclass(frozen=True)
class Stray:
    path: str
    problem: str
    kind: str | None = None  # the kind whose folder it is in, if any


@dataclass
class Discovery:
    records: list[RecordFile] = field(default_factory=list)
    strays: list[Stray] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)  # hand-kept tables present, by name


def classify(parts: tuple[str, ...], what: str) -> tuple[str | None, str | None]:
    """``(kind, problem)`` of the entry at ``parts`` (relative to the data directory).

    ``kind`` is a record kind, ``"table"`` for a hand-kept table, or None; ``problem`` is
    None for a record file or a table, else what makes the entry a stray."""
    folder = kind_of_folder(parts[0]) if parts else None
    kind = folder.name if folder else None
    if any(part.startswith(".") for part in parts):
        return kind, HIDDEN
    if what == SYMLINK:
        return kind, LINK
    if what == SUBMODULE:
        return kind, MODULE
    if what == SPECIAL:
        return kind, NOT_A_FILE
    if len(parts) == 1 and what == FILE:
        name = parts[0]
        if name.endswith(".csv") and name[: -len(".csv")] in tables.names():
            return "table", None
        return None, UNEXPECTED
    if folder is None:
        return None, UNEXPECTED
    expected = 2 + folder.depth
    if what == FOLDER:
        return kind, FOLDER_FOR_FILE if len(parts) >= expected else None
    if len(parts) != expected:
        return kind, MISPLACED
    if not parts[-1].endswith(".json") or parts[-1] == ".json":
        return kind, EXTENSION
    return kind, None


def _what(entry: os.DirEntry[str]) -> str:
    if entry.is_symlink():
        return SYMLINK
    if entry.is_dir(follow_symlinks=False):
        return FOLDER
    if entry.is_file(follow_symlinks=False):
        return FILE
    return SPECIAL


def discover(data_dir: Path) -> Discovery:
    """Every entry under ``data_dir``: record files (sorted by path), tables and strays."""
    found = Discovery()
    root = os.fspath(data_dir)
    pending: list[tuple[str, tuple[str, ...]]] = [(root, ())]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            found.strays.append(Stray(folder, NOT_A_FILE))
            continue
        for entry in listed:
            parts = (*prefix, entry.name)
            what = _what(entry)
            kind, problem = classify(parts, what)
            if problem is not None:
                found.strays.append(Stray(entry.path, problem, kind))
            elif what == FOLDER:
                pending.append((entry.path, parts))
            elif kind == "table":
                found.tables.append(entry.name[: -len(".csv")])
            else:
                found.records.append(RecordFile(entry.path, kind or ""))
    _mark_submodules(data_dir, found)
    found.records.sort(key=lambda r: r.path)
    found.strays.sort(key=lambda s: s.path)
    found.tables.sort(key=tables.names().index)
    return found


def _mark_submodules(data_dir: Path, found: Discovery) -> None:
    """Submodules and links that git records but the folder may not show as such (an
    uninitialised submodule is an empty folder)."""
    entries = gitrepo.index_entries(data_dir) if data_dir.is_dir() else None
    if not entries:
        return
    for entry in entries:
        what = GIT_MODES.get(entry.mode)
        if what not in (SYMLINK, SUBMODULE):
            continue
        path = os.path.join(os.fspath(data_dir), *entry.path.split("/"))
        kind, _ = classify(tuple(entry.path.split("/")), what)
        # Git's word for what the entry is wins over what the folder shows.
        found.strays = [s for s in found.strays if s.path != path]
        found.strays.append(Stray(path, LINK if what == SYMLINK else MODULE, kind))
        found.records = [r for r in found.records if r.path != path]


def data_root_of(path: Path, data_dir: Path) -> Path | None:
    """The data directory ``path`` lies in: ``data_dir``, or else the folder holding the
    nearest enclosing record-kind folder (a record file named outside ``data_dir``)."""
    absolute = Path(os.path.abspath(path))
    root = Path(os.path.abspath(data_dir))
    if root in absolute.parents:
        return root
    for ancestor in absolute.parents:
        if kind_of_folder(ancestor.name) is not None:
            return ancestor.parent
    return None


def classify_path(path: Path, data_dir: Path) -> RecordFile | Stray:
    """A path named on the command line, judged as ``discover`` would judge it."""
    absolute = Path(os.path.abspath(path))
    root = data_root_of(path, data_dir)
    parts = absolute.relative_to(root).parts if root is not None else ()
    mode = os.lstat(path).st_mode
    what = (
        SYMLINK
        if stat.S_ISLNK(mode)
        else FOLDER
        if stat.S_ISDIR(mode)
        else FILE
        if stat.S_ISREG(mode)
        else SPECIAL
    )
    if not parts:
        return Stray(os.fspath(path), UNEXPECTED)
    kind, problem = classify(tuple(parts), what)
    if problem is not None or kind in (None, "table"):
        return Stray(os.fspath(path), problem or UNEXPECTED, None if kind == "table" else kind)
    return RecordFile(os.fspath(path), kind)


def record_files(data_dir: Path) -> list[RecordFile]:
    return discover(data_dir).records
