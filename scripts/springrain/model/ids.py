"""New ids: the next free id of a kind, never one that exists or ever existed.

An id is used while a record file carries it, and for ever once a file carried it (the git
history says so), so a withdrawn record's id is never given to another.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from springrain import gitrepo
from springrain.model.discovery import discover
from springrain.model.kinds import kind as record_kind


def used_ids(data_dir: Path, kind: str) -> set[str]:
    """Every id of ``kind`` that exists or ever existed, from file names and the git log."""
    record = record_kind(kind)
    found = discover(data_dir) if data_dir.is_dir() else None
    names = {Path(f.path).stem for f in found.records if f.kind == kind} if found else set()
    if found:
        # A link or folder carrying an id's name holds that name too: the next id goes past it.
        names.update(Path(s.path).name.removesuffix(".json") for s in found.strays)
    top = gitrepo.toplevel(data_dir) if data_dir.is_dir() else None
    if top is not None:
        relative = os.path.relpath(os.path.abspath(data_dir), top.resolve())
        folder = record.folder if relative == "." else f"{relative}/{record.folder}"
        names.update(
            Path(path).stem
            for path in gitrepo.deleted_paths(top, None, folder)
            if path.endswith(".json")
        )
    return {name for name in names if record.id_is_valid(name)}


def next_id(data_dir: Path, kind: str, **fields: Any) -> str:
    """The next id of ``kind`` after every used one with the same prefix fields (a
    project's province and year)."""
    record = record_kind(kind)
    wanted = tuple(str(fields[name]) for name in record.id_prefix_fields)
    numbers = [0]
    for used in used_ids(data_dir, kind):
        parsed = record.id_number(used)
        if parsed is not None and parsed[0] == wanted:
            numbers.append(parsed[1])
    return record.make_id(max(numbers) + 1, **fields)
