"""Rules against the last release: a published record file may never disappear.

Ids are never reused and withdrawn or removed projects stay as tombstones with their final
status, so a record present at the last release tag must still exist (possibly moved, e.g.
to another province folder). The last tag's file list is read from git; outside a git
repository, or before the first release, the rule has nothing to compare with and is quiet.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from springrain.model.records import FOLDERS, discover
from springrain.validate.checks.registry import Finding, rule

DELETED = rule(
    "record.deleted",
    "error",
    "记录文件被删除",
    "记录 {id} 在上一次发布（{tag}）中存在，现在找不到了。已发布的记录不能删除："
    "请恢复该文件（git checkout {tag} -- {path}），如项目已撤回或清退，"
    "请在状态历程中添加“撤回”或“清退”事件。",
    "Record {id} was published in {tag} and is now missing. Published records are never "
    "deleted: restore the file (git checkout {tag} -- {path}) and, for a withdrawn or removed "
    "project, add a 撤回 or 清退 history event instead.",
)


def _git(cwd: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(cwd), *args], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def last_release_tag(repo: Path) -> str | None:
    """The most recent release tag (v1.2.3) reachable from HEAD, if any."""
    out = _git(repo, "describe", "--tags", "--abbrev=0", "--match", "v[0-9]*")
    return out.strip() or None if out else None


def released_files(data_dir: Path) -> tuple[str, dict[str, str]] | None:
    """(tag, {id: path in the repository}) of the record files at the last release tag."""
    if not data_dir.is_dir():
        return None
    top = _git(data_dir, "rev-parse", "--show-toplevel")
    if not top:
        return None
    repo = Path(top.strip())
    tag = last_release_tag(repo)
    if not tag:
        return None
    try:
        prefix = data_dir.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return None
    prefix = "" if prefix == "." else prefix + "/"
    folders = [prefix + folder for folder in FOLDERS.values()]
    listing = _git(repo, "ls-tree", "-r", "--name-only", tag, "--", *folders)
    if listing is None:
        return None
    ids = {}
    for line in listing.splitlines():
        if line.endswith(".json"):
            ids[line.rsplit("/", 1)[-1][: -len(".json")]] = line
    return tag, ids


def check(data_dir: Path) -> list[Finding]:
    """One finding per record of the last release whose id no longer has a file."""
    released = released_files(data_dir)
    if released is None:
        return []
    tag, ids = released
    current = {path.stem for path, _ in discover(data_dir)}
    return [
        DELETED.at(path, "", id=record_id, tag=tag, path=path)
        for record_id, path in sorted(ids.items())
        if record_id not in current
    ]
