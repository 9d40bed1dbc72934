"""Rules against the last release: a published record file may never disappear.

Ids are never reused and withdrawn or removed projects stay as tombstones with their final
status, so a record present at the last release tag must still exist (possibly moved, e.g.
to another province folder). The last tag's file list is read from git; outside a git
repository, or before the first release, the rule has nothing to compare with and is quiet.
"""

from __future__ import annotations

from pathlib import Path

from springrain import gitrepo
from springrain.model.kinds import record_kinds
from springrain.validate.checks.registry import Check, DatasetContext, Finding, register, rule

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


def released_files(data_dir: Path) -> tuple[str, dict[str, str]] | None:
    """(tag, {id: path in the repository}) of the record files at the last release tag."""
    if not data_dir.is_dir():
        return None
    repo = gitrepo.toplevel(data_dir)
    if repo is None:
        return None
    tag = gitrepo.last_release_tag(repo)
    if not tag:
        return None
    try:
        prefix = data_dir.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return None
    prefix = "" if prefix == "." else prefix + "/"
    folders = [prefix + k.folder for k in record_kinds().values()]
    ids = {}
    for entry in gitrepo.tree(repo, tag, *folders):
        if entry.path.endswith(".json"):
            ids[entry.path.rsplit("/", 1)[-1][: -len(".json")]] = entry.path
    return tag, ids


@register
class Deleted(Check):
    """One finding per record of the last release whose id no longer has a file."""

    inspects = "dataset"
    rules = (DELETED,)

    def check(self, context: DatasetContext) -> list[Finding]:
        if context.named is not None or context.data_dir is None:
            # Only some files named, or records of a package: nothing to compare.
            return []
        released = released_files(Path(context.data_dir))
        if released is None:
            return []
        tag, ids = released
        current = {s.id for s in context.summaries} | {Path(s.file).stem for s in context.summaries}
        return [
            DELETED.at(path, "", id=record_id, tag=tag, path=path)
            for record_id, path in sorted(ids.items())
            if record_id not in current
        ]
