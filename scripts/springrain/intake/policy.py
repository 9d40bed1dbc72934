"""Who may change what: the check a pull request must pass besides validation.

The rules, judged between two git revisions for one author (the change's author; for a
pull request the intake bot opened, the author of the issue it was made from):

- **additions**: anyone may add a record, in its kind's initial status, with exactly one
  history event dated the submission date and with no source but the issue it came from;
  ``submitted_by`` must be the author, ``submitted`` a day between the base revision's and
  the check's, the schema version current, and no field only a maintainer may set
  (``x-set-by: maintainer`` in the schema) may be present. A maintainer of the record's
  programme may add records freely. A cooperation intent is the enterprise's: only whoever
  registered the enterprise it names may add one;
- **edits**: the record's submitter may change the fields the schema lets a submitter edit
  (``x-set-by`` absent or ``submitter``); only a maintainer of the record's programme (or
  province, or of everything) may change anything else, move the file, or edit a record
  someone else submitted;
- **no deletion, by any means**: a record file at the base must be, at the head, a regular
  file with the same id; nobody may delete it, replace it with a link, a submodule or a
  folder, or change its mode; no link, submodule or stray file may appear under ``data/``;
  no id that exists or ever existed may be added again;
- **everything outside the record files** (code, schemas, hand-kept tables, the maintainers
  list, CODEOWNERS, workflows) needs a maintainer whose scope is ``*``.

Maintainers are listed once, in ``.github/maintainers.csv`` (``login,scope``; scope is ``*``,
a programme id or a province code), and read from the *base* revision, so a pull request
cannot make its own author a maintainer. ``CODEOWNERS`` is generated from the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import orjson

from springrain import gitrepo
from springrain.model import statuses
from springrain.model.discovery import FILE, GIT_MODES, classify
from springrain.model.kinds import kind as record_kind
from springrain.model.kinds import schema_version
from springrain.model.schemas import fields

MAINTAINERS_FILE = ".github/maintainers.csv"
CODEOWNERS_FILE = ".github/CODEOWNERS"
WHOLE_REPOSITORY = "*"
DATA = "data"
# How far a new record's submission date may lie outside its window (time zones: the
# submitter's day may be the UTC day before or after).
SUBMISSION_SLACK = dt.timedelta(days=1)


@dataclass(frozen=True)
class Refusal:
    path: str
    reason_zh: str
    reason_en: str

    def line(self) -> str:
        return f"✗ {self.path}\n    {self.reason_zh}\n    {self.reason_en}"


def issue_source(issue: int | None) -> str:
    """The source the intake bot gives a record's first event."""
    return f"GitHub issue #{issue}" if issue else "GitHub issue"


# --- Maintainers --------------------------------------------------------------------------


def parse_maintainers(text: str) -> dict[str, set[str]]:
    """login (lower case) → scopes."""
    result: dict[str, set[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        login = (row.get("login") or "").strip().lstrip("@").lower()
        scope = (row.get("scope") or "").strip()
        if login and scope:
            result.setdefault(login, set()).add(scope)
    return result


def codeowners(maintainers_csv: str, programmes_csv: str) -> str:
    """CODEOWNERS mirroring the maintainers file: global owners first, then per province."""
    rows = [
        (row["login"].strip().lstrip("@"), row["scope"].strip())
        for row in csv.DictReader(io.StringIO(maintainers_csv))
        if (row.get("login") or "").strip() and (row.get("scope") or "").strip()
    ]
    province_of = {
        row["id"]: row.get("province", "") for row in csv.DictReader(io.StringIO(programmes_csv))
    }
    everywhere = sorted({login for login, scope in rows if scope == WHOLE_REPOSITORY})
    national = sorted(
        {login for login, scope in rows if scope in province_of and not province_of[scope]}
    )
    by_province: dict[str, set[str]] = {}
    for login, scope in rows:
        if scope == WHOLE_REPOSITORY or (scope in province_of and not province_of[scope]):
            continue
        province = province_of.get(scope, scope)
        by_province.setdefault(province, set()).add(login)
    lines = [
        "# 由 `springrain policy --codeowners` 根据 .github/maintainers.csv 生成，请勿手改。",
        "# Generated from .github/maintainers.csv by `springrain policy --codeowners`; do not edit.",
        "# 维护者名单只在 .github/maintainers.csv 中修改。Edit the maintainers file, not this one.",
    ]

    def owners(logins: list[str]) -> str:
        return " ".join(f"@{login}" for login in logins)

    if everywhere:
        lines.append(f"* {owners(everywhere)}")
    projects = f"/{DATA}/{record_kind('project').folder}/"
    if national:
        lines.append(f"{projects} {owners(sorted({*everywhere, *national}))}")
    for province in sorted(by_province):
        logins = sorted({*everywhere, *national, *by_province[province]})
        lines.append(f"{projects}{province}/ {owners(logins)}")
    return "\n".join(lines) + "\n"


# --- Reading revisions ------------------------------------------------------------------


def _parse(data: bytes | None) -> dict[str, Any] | None:
    if data is None:
        return None
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


@dataclass
class Tree:
    """The entries under ``data/`` at one revision: every path with its mode, and the
    record files (regular files with a record's name) by id."""

    modes: dict[str, str] = field(default_factory=dict)
    records: dict[str, tuple[str, str]] = field(default_factory=dict)  # path → (id, kind)
    strays: dict[str, str] = field(default_factory=dict)  # path → problem

    def paths_of(self, record_id: str) -> list[str]:
        return sorted(path for path, (other, _) in self.records.items() if other == record_id)

    @property
    def ids(self) -> set[str]:
        return {record_id for record_id, _ in self.records.values()}


def _tree(repo: Path, rev: str) -> Tree:
    tree = Tree()
    for entry in gitrepo.tree(repo, rev, DATA):
        tree.modes[entry.path] = entry.mode
        parts = tuple(PurePosixPath(entry.path).parts[1:])
        what = GIT_MODES.get(entry.mode, FILE)
        kind, problem = classify(parts, what)
        if problem is not None:
            tree.strays[entry.path] = problem
        elif kind not in (None, "table"):
            tree.records[entry.path] = (PurePosixPath(entry.path).stem, kind)
    return tree


def _ever_used_ids(repo: Path, base: str, tree: Tree) -> set[str]:
    deleted = gitrepo.deleted_paths(repo, base, f"{DATA}/")
    return tree.ids | {PurePosixPath(p).stem for p in deleted if p.endswith(".json")}


def _submission_window(repo: Path, base: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The days a new record may say it was submitted on: from the day the base revision
    was committed (the repository's own history, which the change's author does not write)
    to the day of the check. A commit's own date is whatever its author set, and a file
    added in a merge has no adding commit at all: neither is asked."""
    stamp = gitrepo.commit_time(repo, base)
    first = dt.datetime.fromtimestamp(stamp, tz=dt.UTC).date() if stamp is not None else today
    return min(first, today) - SUBMISSION_SLACK, today + SUBMISSION_SLACK


# --- The check ----------------------------------------------------------------------------


@dataclass
class Context:
    repo: Path
    base: str
    head: str
    author: str
    maintainers: dict[str, set[str]]
    issue: int | None
    base_tree: Tree
    head_tree: Tree
    submission_window: tuple[dt.date, dt.date]

    @property
    def scopes(self) -> set[str]:
        return self.maintainers.get(self.author.lower(), set())

    @property
    def maintains_everything(self) -> bool:
        return WHOLE_REPOSITORY in self.scopes

    def record(self, rev: str, path: str) -> dict[str, Any] | None:
        return _parse(gitrepo.show(self.repo, rev, path))

    def maintains(self, kind: str, record: dict[str, Any] | None) -> bool:
        """Whether the author maintains ``record`` (a project by its programme or
        province; a cooperation by its project's; an enterprise: only ``*``)."""
        if self.maintains_everything:
            return True
        if record is None or not self.scopes:
            return False
        if kind == "project":
            return bool(self.scopes & {str(record.get("programme")), str(record.get("province"))})
        if kind == "cooperation":
            found = self.base_tree.paths_of(str(record.get("project", "")))
            project = self.record(self.base, found[0]) if found else None
            return project is not None and self.maintains("project", project)
        return False

    def is_submitter(self, record: dict[str, Any] | None) -> bool:
        return is_submitter(record, self.author)


def is_submitter(record: dict[str, Any] | None, author: str | None) -> bool:
    """Whether ``author`` submitted ``record`` (GitHub logins compare case-blind)."""
    return (
        record is not None
        and bool(author)
        and str(record.get("submitted_by", "")).lower() == str(author).lower()
    )


def may_declare(enterprise: dict[str, Any] | None, author: str | None) -> bool:
    """Whether ``author`` may declare a cooperation intent of ``enterprise``: an intent is
    the enterprise's, so only whoever registered it may (an enterprise not found is the
    validator's to report: ref.enterprise). Intake asks this before it writes, this check
    after."""
    return enterprise is None or is_submitter(enterprise, author)


def not_the_enterprises(enterprise_id: str, author: str | None) -> tuple[str, str]:
    """Why an intent naming someone else's enterprise is refused, in Chinese and English."""
    return (
        f"合作意向只能由企业的登记人提交：企业 {enterprise_id[:20]} 不是由 {author} 登记的。"
        "如您代表这家企业，请用登记它的账号提交，或请所属行动方案的维护者代为登记。",
        f"A cooperation intent is the enterprise's: {enterprise_id[:20]} was not registered "
        f"by {author}.",
    )


def guarded_changes(kind: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The fields changed from ``before`` to ``after`` that only a maintainer may change
    (all but those the schema lets a submitter edit): what an edit by the record's
    submitter may not hold. Intake asks this before it writes, this check after."""
    editable = {f.name for f in fields(kind) if f.submitter_may_edit}
    return sorted(
        k for k in {*before, *after} if before.get(k) != after.get(k) and k not in editable
    )


def _structure(ctx: Context) -> list[Refusal]:
    """No deletion by any means, no link, submodule, stray or mode change under data/."""
    refusals = []
    base, head = ctx.base_tree, ctx.head_tree
    for path, (record_id, _) in sorted(base.records.items()):
        if record_id not in head.ids:
            what = head.strays.get(path)
            how = {
                "symlink": ("被换成了链接", "was replaced by a link"),
                "submodule": ("被换成了子模块", "was replaced by a submodule"),
            }.get(
                what or "", ("被删除或改成了别的文件", "was deleted or turned into something else")
            )
            refusals.append(
                Refusal(
                    path,
                    f"记录 {record_id} {how[0]}。记录文件不能删除；要撤回项目，请由维护者把状态改为“撤回”。",
                    f"Record {record_id} {how[1]}. Record files are never deleted; a maintainer "
                    "can set the status to withdrawn instead.",
                )
            )
    for path, problem in sorted(head.strays.items()):
        if base.strays.get(path) == problem and base.modes.get(path) == head.modes.get(path):
            continue  # there before this change: not this author's doing
        refusals.append(
            Refusal(
                path,
                f"data/ 下不能加入链接、子模块或不是记录的文件（{problem}）。请只提交 <编号>.json 记录文件。",
                f"No link, submodule or non-record file may be added under data/ ({problem}).",
            )
        )
    for path, mode in sorted(head.modes.items()):
        if path in base.modes and base.modes[path] != mode and path not in head.strays:
            refusals.append(
                Refusal(
                    path,
                    f"不能改变文件的类型或权限（{base.modes[path]} → {mode}）。",
                    f"A file's type or mode may not change ({base.modes[path]} → {mode}).",
                )
            )
    return refusals


def _check_added(
    ctx: Context, record_id: str, path: str, kind: str, used: set[str]
) -> list[Refusal]:
    refusals = []
    if record_id in used:
        refusals.append(
            Refusal(
                path,
                f"编号 {record_id} 已经使用过（现有或曾经删除的记录），编号不能重复使用。请换一个新编号。",
                f"Id {record_id} exists or existed before; ids are never reused.",
            )
        )
    record = ctx.record(ctx.head, path)
    if record is None or ctx.maintains(kind, record):
        return refusals  # a broken file is the validator's; a maintainer may add freely

    def refuse(zh: str, en: str) -> None:
        refusals.append(Refusal(path, zh, en))

    if str(record.get("submitted_by", "")).lower() != ctx.author.lower():
        refuse(
            f"新记录的「提交人」应为提交这项修改的账号 {ctx.author}，不能填写他人（现为 {str(record.get('submitted_by'))[:40]}）。",
            f"A new record's submitted_by must be the change's author, {ctx.author}.",
        )
    if kind == "cooperation":
        # An enterprise's intent: only whoever registered the enterprise may declare it
        # (an enterprise not found is the validator's: ref.enterprise).
        enterprise_id = str(record.get("enterprise", ""))
        found = ctx.head_tree.paths_of(enterprise_id)
        enterprise = ctx.record(ctx.head, found[0]) if found else None
        if not may_declare(enterprise, ctx.author):
            refuse(*not_the_enterprises(enterprise_id, ctx.author))
    guarded = sorted(f.name for f in fields(kind) if f.maintainer_only and f.name in record)
    if guarded or "demo" in record:
        names = "、".join([*guarded, *(["demo"] if "demo" in record else [])])
        refuse(
            f"新记录不能包含只能由维护者填写的字段：{names}。请删除这些字段，由所属行动方案的维护者补充。",
            f"A new record may not carry fields only a maintainer sets: {names}.",
        )
    if record.get("schema_version") != schema_version():
        refuse(
            f"新记录的数据结构版本应为 {schema_version()}。",
            f"A new record's schema_version must be {schema_version()}.",
        )
    initial = statuses.initial(kind)
    history = record.get("history")
    submitted = record.get("submitted")
    if initial is not None:
        first = history[0] if isinstance(history, list) and len(history) == 1 else None
        if (
            record.get("status") != initial
            or not isinstance(first, dict)
            or first.get("status") != initial
            or first.get("date") != submitted
        ):
            refuse(
                f"新记录只能以初始状态“{initial}”提交，状态历程只能有这一项，日期与提交日期相同；"
                "后续状态由所属行动方案的维护者更新。",
                f"A new record must start in status {initial} with a one-event history dated "
                "its submission date; only a maintainer of its programme may add later statuses.",
            )
        elif "source" in first and first["source"] != issue_source(
            ctx.issue if ctx.issue else None
        ):
            refuse(
                "新记录状态历程的「来源」只能由机器人填写（申报议题的编号），请删除该项。",
                "The source of a new record's first event is set by the intake bot only.",
            )
    try:
        claimed = dt.date.fromisoformat(str(submitted))
    except ValueError:
        claimed = None  # the validator reports the date
    first, last = ctx.submission_window
    if claimed is not None and not first <= claimed <= last:
        refuse(
            f"新记录的「提交日期」{submitted} 不在 {first.isoformat()} 至 {last.isoformat()} 之间"
            "（自仓库当前版本之日到今天），不能倒填或预填日期。",
            f"A new record's submission date {submitted} is not between {first.isoformat()} "
            f"and {last.isoformat()} (the base revision's day to today).",
        )
    return refusals


def _check_modified(
    ctx: Context, record_id: str, kind: str, base_path: str, head_path: str
) -> list[Refusal]:
    before = ctx.record(ctx.base, base_path)
    after = ctx.record(ctx.head, head_path)
    if before == after and base_path == head_path:
        return []
    if ctx.maintains(kind, before) and (after is None or ctx.maintains(kind, after)):
        return []
    if before is None:
        return []  # the base file was broken: the validator judges the repair
    if base_path != head_path:
        return [
            Refusal(
                head_path,
                f"只有维护者可以移动记录文件（{base_path} → {head_path}）。",
                "Only a maintainer may move a record file.",
            )
        ]
    if not ctx.is_submitter(before):
        return [
            Refusal(
                head_path,
                f"这条记录由 {str(before.get('submitted_by', '他人'))[:40]} 提交，您不能修改它。"
                "请提交“信息更正”议题，由维护者处理。",
                "This record was submitted by someone else; open a correction request instead.",
            )
        ]
    if after is None:
        return []  # the submitter's broken edit: the validator reports it
    guarded = guarded_changes(kind, before, after)
    if not guarded:
        return []
    withdrawn = statuses.with_role("withdrawn", kind) if statuses.has_statuses(kind) else ()
    if after.get("status") in withdrawn and before.get("status") not in withdrawn:
        return [
            Refusal(
                head_path,
                "撤回项目需由所属行动方案的维护者操作。请在议题中说明撤回理由，维护者会处理。",
                "Only a maintainer of the programme may withdraw a record; ask in an issue.",
            )
        ]
    return [
        Refusal(
            head_path,
            f"字段 {', '.join(guarded)} 只能由所属行动方案的维护者修改（编号、状态、历程、提交信息、所属方案等）。",
            f"Only a maintainer of the programme may change {', '.join(guarded)}.",
        )
    ]


def check(
    repo: Path,
    base: str,
    head: str,
    author: str,
    issue: int | None = None,
    today: dt.date | None = None,
) -> list[Refusal]:
    """Every change between ``base`` and ``head`` that ``author`` may not make (``today``:
    the day of the check, UTC by default)."""
    today = today or dt.datetime.now(dt.UTC).date()
    gitrepo.verify(repo, base)
    gitrepo.verify(repo, head)
    maintainers = parse_maintainers(
        (gitrepo.show(repo, base, MAINTAINERS_FILE) or b"login,scope\n").decode("utf-8", "replace")
    )
    ctx = Context(
        repo,
        base,
        head,
        author,
        maintainers,
        issue,
        _tree(repo, base),
        _tree(repo, head),
        _submission_window(repo, base, today),
    )
    refusals: list[Refusal] = []
    changed = gitrepo.run(repo, "diff", "--name-only", "--no-renames", "-z", base, head).decode(
        "utf-8", "replace"
    )
    record_paths = set(ctx.head_tree.records) | set(ctx.base_tree.records)
    for path in sorted(p for p in changed.split("\0") if p):
        if path in record_paths or path in ctx.head_tree.strays or path in ctx.base_tree.strays:
            continue
        if not ctx.maintains_everything:
            refusals.append(
                Refusal(
                    path,
                    "修改记录文件以外的内容（代码、表格、维护者名单、工作流等）需要全局维护者（范围为 *）。",
                    "Changing anything but record files needs a maintainer whose scope is *.",
                )
            )
    refusals += _structure(ctx)
    used = _ever_used_ids(repo, base, ctx.base_tree)
    base_tree, head_tree = ctx.base_tree, ctx.head_tree
    for path, (record_id, kind) in sorted(head_tree.records.items()):
        if path in base_tree.records and base_tree.records[path][0] == record_id:
            refusals += _check_modified(ctx, record_id, kind, path, path)
            continue
        # A path new at the head: a move when its id's only file at the base is gone,
        # otherwise an addition (of an id that may be taken).
        before = [p for p in base_tree.paths_of(record_id) if p not in head_tree.records]
        if len(before) == 1 and len(head_tree.paths_of(record_id)) == 1:
            refusals += _check_modified(ctx, record_id, kind, before[0], path)
        else:
            refusals += _check_added(ctx, record_id, path, kind, used)
    return refusals


def render(refusals: list[Refusal]) -> str:
    if not refusals:
        return "✓ 所有修改都符合权限规则。\n✓ Every change is allowed."
    lines = [refusal.line() for refusal in refusals]
    lines.append(f"共 {len(refusals)} 处修改不被允许。\n{len(refusals)} change(s) refused.")
    return "\n".join(lines)
