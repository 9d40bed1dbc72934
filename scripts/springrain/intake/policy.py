"""Who may change what: the check a pull request must pass besides validation.

The rules, judged between two git revisions for one author:

- anyone may add a new record in its initial status (a project 已提交, a cooperation 意向,
  with a history of one event);
- the record's submitter (``submitted_by``) may edit its descriptive fields;
- only a maintainer of the record's programme (or province, or of the whole repository) may
  change its status, history or other regulator-kept fields, withdraw it, or edit a record
  someone else submitted;
- nobody may delete a record file, change a record's id, or add a record under an id that
  exists or ever existed;
- changing anything outside the record folders needs a maintainer.

Maintainers are listed once, in ``.github/maintainers.csv`` (``login,scope``; scope is ``*``,
a programme id or a province code), and read from the *base* revision, so a pull request
cannot make its own author a maintainer. ``CODEOWNERS`` is generated from the same file.
"""

from __future__ import annotations

import csv
import io
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import orjson

from springrain.errors import SpringrainError
from springrain.model.records import KIND_OF_FOLDER

MAINTAINERS_FILE = ".github/maintainers.csv"
CODEOWNERS_FILE = ".github/CODEOWNERS"
WHOLE_REPOSITORY = "*"
INITIAL_STATUS = {"project": "已提交", "cooperation": "意向"}
WITHDRAWN = "撤回"
# Fields only maintainers change: the regulator's record of what happened to the project.
MAINTAINER_FIELDS = frozenset(
    {
        "id",
        "schema_version",
        "demo",
        "programme",
        "province",
        "submitted",
        "submitted_by",
        "status",
        "history",
        "regulatory_channels",
        "cmde_reported",
    }
)


@dataclass(frozen=True)
class Refusal:
    path: str
    reason_zh: str
    reason_en: str

    def line(self) -> str:
        return f"✗ {self.path}\n    {self.reason_zh}\n    {self.reason_en}"


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
    if national:
        lines.append(f"/data/projects/ {owners(sorted({*everywhere, *national}))}")
    for province in sorted(by_province):
        logins = sorted({*everywhere, *national, *by_province[province]})
        lines.append(f"/data/projects/{province}/ {owners(logins)}")
    return "\n".join(lines) + "\n"


# --- Git ----------------------------------------------------------------------------------


class Git:
    def __init__(self, repo: Path) -> None:
        self.repo = repo

    def run(self, *args: str, check: bool = True) -> str:
        try:
            result = subprocess.run(
                ["git", *args],
                cwd=self.repo,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                check=False,
                timeout=120,
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise SpringrainError(f"无法运行 git：{error}", f"Cannot run git: {error}") from error
        if check and result.returncode != 0:
            message = result.stderr.strip()[:300]
            raise SpringrainError(f"git 命令失败：{message}", f"git failed: {message}")
        return result.stdout

    def show(self, rev: str, path: str) -> str | None:
        result = subprocess.run(
            ["git", "show", f"{rev}:{path}"],
            cwd=self.repo,
            capture_output=True,
            check=False,
            timeout=60,
        )
        return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else None

    def verify(self, rev: str) -> None:
        if not self.run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False):
            raise SpringrainError(
                f"找不到版本 {rev}。请确认已获取完整历史（fetch-depth: 0）。",
                f"Revision {rev} not found; fetch the full history.",
            )


def record_kind(path: str) -> str | None:
    parts = PurePosixPath(path).parts
    if len(parts) >= 3 and parts[0] == "data" and parts[-1].endswith(".json"):
        return KIND_OF_FOLDER.get(parts[1])
    return None


def _parse(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


# --- The check ----------------------------------------------------------------------------


@dataclass
class Context:
    git: Git
    base: str
    head: str
    author: str
    maintainers: dict[str, set[str]]

    @property
    def scopes(self) -> set[str]:
        return self.maintainers.get(self.author.lower(), set())

    def is_any_maintainer(self) -> bool:
        return bool(self.scopes)

    def maintains(self, kind: str, record: dict[str, Any] | None) -> bool:
        scopes = self.scopes
        if WHOLE_REPOSITORY in scopes:
            return True
        if record is None:
            return False
        if kind == "project":
            return bool(scopes & {str(record.get("programme")), str(record.get("province"))})
        if kind == "cooperation":
            project_id = str(record.get("project", ""))
            project = _parse(
                self.git.show(self.base, f"data/projects/{project_id[:2]}/{project_id}.json")
            )
            return project is not None and self.maintains("project", project)
        return False

    def is_submitter(self, record: dict[str, Any] | None) -> bool:
        return (
            record is not None
            and str(record.get("submitted_by", "")).lower() == self.author.lower()
        )


def _ever_used_ids(git: Git, base: str) -> set[str]:
    present = git.run("ls-tree", "-r", "--name-only", base, "--", "data/").splitlines()
    deleted = git.run(
        "log", base, "--diff-filter=D", "--name-only", "--pretty=format:", "--", "data/"
    ).splitlines()
    return {PurePosixPath(p).stem for p in [*present, *deleted] if record_kind(p)}


def _check_added(ctx: Context, path: str, kind: str, used: set[str]) -> list[Refusal]:
    refusals = []
    record_id = PurePosixPath(path).stem
    if record_id in used:
        refusals.append(
            Refusal(
                path,
                f"编号 {record_id} 已经使用过（现有或曾经删除的记录），编号不能重复使用。请换一个新编号。",
                f"Id {record_id} exists or existed before; ids are never reused.",
            )
        )
    record = _parse(ctx.git.show(ctx.head, path))
    if record is None or kind not in INITIAL_STATUS or ctx.maintains(kind, record):
        return refusals
    history = record.get("history")
    initial = INITIAL_STATUS[kind]
    first_only = (
        isinstance(history, list)
        and len(history) == 1
        and isinstance(history[0], dict)
        and history[0].get("status") == initial
    )
    if record.get("status") != initial or not first_only:
        refusals.append(
            Refusal(
                path,
                f"新记录只能以初始状态“{initial}”提交，状态历程只能有这一项；"
                "后续状态由所属行动方案的维护者更新。",
                f"A new record must start in status {initial} with a one-event history; "
                "only a maintainer of its programme may add later statuses.",
            )
        )
    return refusals


def _check_modified(ctx: Context, path: str, kind: str) -> list[Refusal]:
    before = _parse(ctx.git.show(ctx.base, path))
    after = _parse(ctx.git.show(ctx.head, path))
    if ctx.maintains(kind, before) and (after is None or ctx.maintains(kind, after)):
        return []
    if before is None:
        return []  # the base file was broken: the validator judges the repair
    if after is None:
        if ctx.is_submitter(before):
            return []
        return [
            Refusal(
                path,
                "只有记录的提交人或所属行动方案的维护者可以修改这条记录。",
                "Only the record's submitter or a maintainer of its programme may edit it.",
            )
        ]
    changed = sorted(k for k in {*before, *after} if before.get(k) != after.get(k))
    refusals = []
    if "id" in changed:
        refusals.append(
            Refusal(
                path,
                "不能修改记录的编号。",
                "A record's id may not change.",
            )
        )
    guarded = [k for k in changed if k in MAINTAINER_FIELDS and k != "id"]
    if guarded:
        if after.get("status") == WITHDRAWN and before.get("status") != WITHDRAWN:
            refusals.append(
                Refusal(
                    path,
                    "撤回项目需由所属行动方案的维护者操作。请在议题中说明撤回理由，维护者会处理。",
                    "Only a maintainer of the programme may withdraw a project; ask in an issue.",
                )
            )
        else:
            refusals.append(
                Refusal(
                    path,
                    f"字段 {', '.join(guarded)} 只能由所属行动方案的维护者修改"
                    "（状态、历程、提交信息等）。",
                    f"Only a maintainer of the programme may change {', '.join(guarded)}.",
                )
            )
    descriptive = [k for k in changed if k not in MAINTAINER_FIELDS]
    if descriptive and not ctx.is_submitter(before):
        refusals.append(
            Refusal(
                path,
                f"这条记录由 {before.get('submitted_by', '他人')} 提交，您不能修改它"
                f"（{', '.join(descriptive)}）。请提交“信息更正”议题，由维护者处理。",
                f"This record was submitted by someone else; you may not edit "
                f"{', '.join(descriptive)}. Open a correction request instead.",
            )
        )
    return refusals


def check(repo: Path, base: str, head: str, author: str) -> list[Refusal]:
    git = Git(repo)
    git.verify(base)
    git.verify(head)
    maintainers = parse_maintainers(git.show(base, MAINTAINERS_FILE) or "login,scope\n")
    ctx = Context(git, base, head, author, maintainers)
    changes = git.run("diff", "--name-status", "--no-renames", "-z", base, head).split("\0")
    pairs = list(zip(changes[0::2], changes[1::2], strict=False))
    used = _ever_used_ids(git, base)
    refusals: list[Refusal] = []
    added_ids: dict[str, str] = {}
    for status, path in pairs:
        if not status:
            continue
        kind = record_kind(path)
        if kind is None:
            if not ctx.is_any_maintainer():
                where = "data/ 以外的文件" if not path.startswith("data/") else "data/ 下的表格"
                refusals.append(
                    Refusal(
                        path,
                        f"修改 {where}需要维护者。请只修改 data/ 下的记录文件，或请维护者提交这项修改。",
                        "Changing files other than records needs a maintainer.",
                    )
                )
            continue
        if status.startswith("D"):
            refusals.append(
                Refusal(
                    path,
                    "不能删除记录文件。要撤回项目，请由维护者把状态改为“撤回”。",
                    "Record files are never deleted; a maintainer can set the status to withdrawn.",
                )
            )
        elif status.startswith("A"):
            stem = PurePosixPath(path).stem
            if stem in added_ids:
                refusals.append(
                    Refusal(
                        path,
                        f"编号 {stem} 在本次修改中出现了两次（另见 {added_ids[stem]}）。",
                        f"Id {stem} is added twice (also {added_ids[stem]}).",
                    )
                )
            added_ids[stem] = path
            refusals += _check_added(ctx, path, kind, used)
        else:
            refusals += _check_modified(ctx, path, kind)
    return refusals


def render(refusals: list[Refusal]) -> str:
    if not refusals:
        return "✓ 所有修改都符合权限规则。\n✓ Every change is allowed."
    lines = [refusal.line() for refusal in refusals]
    lines.append(f"共 {len(refusals)} 处修改不被允许。\n{len(refusals)} change(s) refused.")
    return "\n".join(lines)
