"""springrain policy: real temporary git repositories, one commit per case, every bypass
that was tried refused."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest

from springrain.config import REPO_ROOT
from springrain.intake.policy import check, codeowners

MAINTAINERS = "login,scope,note\nmaint-sh,SH-2026,上海\nmaint-gd,GD,广东\nadmin,*,全部\n"
PROGRAMMES = "id,name_zh,province\nSH-2026,上海方案,SH\nGD-2025,广东方案,GD\nNMPA-2025,国家方案,\n"
TODAY = dt.datetime.now(dt.UTC).date().isoformat()


def project(record_id: str, submitted_by: str = "alice", **extra: object) -> dict:
    record = {
        "id": record_id,
        "schema_version": "1.0",
        "programme": "SH-2026" if record_id.startswith("SH") else "GD-2025",
        "province": record_id[:2],
        "project_name": "测试项目",
        "submitted": TODAY,
        "submitted_by": submitted_by,
        "status": "已提交",
        "history": [{"date": TODAY, "status": "已提交"}],
    }
    record.update(extra)
    return record


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")
        self.write(".github/maintainers.csv", MAINTAINERS)
        self.write("data/programmes.csv", PROGRAMMES)
        self.put(project("SH-2026-0001"))
        self.put(project("SH-2026-0002", submitted_by="carol"))
        self.put(project("GD-2025-0001", submitted_by="gina"))
        self.commit("base")

    def git(self, *args: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args],
            cwd=self.root,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def path(self, record_id: str) -> str:
        return f"data/projects/{record_id[:2]}/{record_id}.json"

    def put(self, record: dict, path: str | None = None) -> str:
        path = path or self.path(record["id"])
        self.write(path, json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        return path

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def start_merge(self) -> None:
        """A side branch merged into main without committing: what is staged next goes into
        the merge commit itself (git log shows a merge's own changes only when asked)."""
        self.git("checkout", "-q", "-b", "side")
        self.write("data/README.txt", "side")
        self.commit("side")
        self.git("checkout", "-q", "main")
        self.git("merge", "-q", "--no-commit", "--no-ff", "side")
        self.git("rm", "-q", "-f", "data/README.txt")

    def refusals(self, author: str, issue: int | None = None) -> list:
        return check(self.root, "HEAD~1", "HEAD", author, issue)

    def reasons(self, author: str, issue: int | None = None) -> str:
        return "\n".join(r.reason_zh + r.reason_en for r in self.refusals(author, issue))


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path)


# --- additions ----------------------------------------------------------------------------


def test_anyone_adds_their_own_record_in_the_initial_status(repo: Repo) -> None:
    repo.put(project("SH-2026-0003", submitted_by="dave"))
    repo.commit("new")
    assert repo.refusals("dave") == []
    assert repo.refusals("DAVE") == []  # logins are case-insensitive


def test_a_new_record_naming_another_submitter_is_refused(repo: Repo) -> None:
    repo.put(project("SH-2026-0003", submitted_by="carol"))
    repo.commit("new, in carol's name")
    assert "提交人" in repo.reasons("dave")
    assert repo.refusals("carol") == []


def test_a_new_record_past_the_initial_status_needs_a_maintainer(repo: Repo) -> None:
    history = [{"date": TODAY, "status": "已提交"}, {"date": TODAY, "status": "初核通过"}]
    repo.put(project("SH-2026-0003", submitted_by="dave", status="初核通过", history=history))
    repo.commit("new, advanced")
    assert "初始状态" in repo.reasons("dave")
    assert repo.refusals("maint-sh") == []
    assert repo.refusals("maint-gd") != []  # another province's maintainer


@pytest.mark.parametrize(
    "extra",
    [
        {"regulatory_channels": [{"channel": "创新医疗器械特别审查", "date": TODAY}]},
        {"cmde_reported": TODAY},
        {"demo": True},
    ],
    ids=["channels", "cmde", "demo"],
)
def test_a_new_record_may_not_carry_maintainer_only_fields(repo: Repo, extra: dict) -> None:
    repo.put(project("SH-2026-0003", submitted_by="dave", **extra))
    repo.commit("new, with guarded fields")
    assert "维护者" in repo.reasons("dave")


def test_an_invented_history_source_is_refused(repo: Repo) -> None:
    history = [{"date": TODAY, "status": "已提交", "source": "国家药监局批准"}]
    repo.put(project("SH-2026-0003", submitted_by="dave", history=history))
    repo.commit("new, with a source")
    assert "来源" in repo.reasons("dave")
    assert "来源" in repo.reasons("dave", issue=12)


def test_the_intake_bots_source_is_accepted_for_its_issue(repo: Repo) -> None:
    history = [{"date": TODAY, "status": "已提交", "source": "GitHub issue #12"}]
    repo.put(project("SH-2026-0003", submitted_by="dave", history=history))
    repo.commit("intake")
    assert repo.refusals("dave", issue=12) == []
    assert repo.refusals("dave", issue=13) != []


def test_a_back_dated_submission_is_refused(repo: Repo) -> None:
    old = "2025-01-06"
    record = project("SH-2026-0003", submitted_by="dave", submitted=old)
    record["history"] = [{"date": old, "status": "已提交"}]
    repo.put(record)
    repo.commit("back-dated")
    assert "倒填" in repo.reasons("dave")


def test_a_new_record_in_an_old_schema_version_is_refused(repo: Repo) -> None:
    repo.put(project("SH-2026-0003", submitted_by="dave", schema_version="1.9"))
    repo.commit("other version")
    assert "版本" in repo.reasons("dave")


def test_ids_are_never_reused(repo: Repo) -> None:
    os.remove(repo.root / repo.path("SH-2026-0002"))
    repo.commit("delete (a maintainer's old mistake)")
    repo.put(project("SH-2026-0002", submitted_by="eve"))
    repo.commit("reuse")
    assert "已经使用过" in repo.reasons("eve")
    repo.put(project("SH-2026-0001", submitted_by="eve"), path="data/projects/GD/SH-2026-0001.json")
    repo.commit("same id, another folder")
    assert "已经使用过" in repo.reasons("eve")


def test_a_submission_backdated_with_the_commits_own_date_is_refused(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit's date is whatever its author set: the window is the base revision's day
    (the repository's own history) to the day of the check."""
    old = "2020-01-02"
    record = project("SH-2020-0009", submitted_by="dave", submitted=old)
    record["history"] = [{"date": old, "status": "已提交"}]
    repo.put(record)
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2020-01-02T12:00:00Z")
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2020-01-02T12:00:00Z")
    repo.commit("back-dated, with the commit's date to match")
    assert "倒填" in repo.reasons("dave")


def test_a_submission_added_in_a_merge_commit_is_dated_too(repo: Repo) -> None:
    """A file that only the merge commit adds has no adding commit to read a date from."""
    old = "2020-01-02"
    record = project("SH-2020-0009", submitted_by="dave", submitted=old)
    record["history"] = [{"date": old, "status": "已提交"}]
    repo.start_merge()
    repo.put(record)
    repo.commit("merge, adding a record")
    assert "倒填" in repo.reasons("dave")


def test_the_window_runs_from_the_base_revisions_day_to_the_check(repo: Repo) -> None:
    record_day = dt.date.fromisoformat(TODAY)
    repo.put(project("SH-2026-0003", submitted_by="dave"))
    repo.commit("new")
    later = record_day + dt.timedelta(days=3)
    assert repo.refusals("dave") == []
    assert check(repo.root, "HEAD~1", "HEAD", "dave", today=later) == []
    earlier = record_day - dt.timedelta(days=3)
    assert any(
        "倒填" in r.reason_zh for r in check(repo.root, "HEAD~1", "HEAD", "dave", today=earlier)
    )


def test_the_id_of_a_renumbered_record_is_never_reused(repo: Repo) -> None:
    """Git reads a renumbering as a rename: the old name is still an id once used."""
    repo.git("mv", repo.path("SH-2026-0002"), repo.path("SH-2026-0003"))
    repo.put(project("SH-2026-0003", submitted_by="carol"))
    repo.commit("renumbered by a maintainer")
    repo.put(project("SH-2026-0002", submitted_by="eve"))
    repo.commit("reuse of the old number")
    assert "已经使用过" in repo.reasons("eve")


def test_the_id_of_a_record_deleted_in_a_merge_commit_is_never_reused(repo: Repo) -> None:
    repo.start_merge()
    repo.git("rm", "-q", "-f", repo.path("SH-2026-0002"))
    repo.commit("merge that deletes a record")
    repo.put(project("SH-2026-0002", submitted_by="eve"))
    repo.commit("reuse")
    assert "已经使用过" in repo.reasons("eve")


def _enterprise(record_id: str, submitted_by: str) -> dict:
    return {
        "id": record_id,
        "schema_version": "1.0",
        "name": "测试企业",
        "submitted": TODAY,
        "submitted_by": submitted_by,
    }


def _cooperation(record_id: str, enterprise: str, submitted_by: str) -> dict:
    return {
        "id": record_id,
        "schema_version": "1.0",
        "project": "SH-2026-0001",
        "enterprise": enterprise,
        "modes": ["联合开发"],
        "status": "意向",
        "history": [{"date": TODAY, "status": "意向"}],
        "submitted": TODAY,
        "submitted_by": submitted_by,
    }


def test_a_cooperation_intent_is_the_enterprises_to_declare(repo: Repo) -> None:
    repo.put(_enterprise("ENT-0001", "erin"), "data/enterprises/ENT-0001.json")
    repo.commit("an enterprise")
    repo.put(_cooperation("COOP-0001", "ENT-0001", "mallory"), "data/cooperations/COOP-0001.json")
    repo.commit("an intent in erin's enterprise's name")
    assert "企业的登记人" in repo.reasons("mallory")
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.put(_cooperation("COOP-0001", "ENT-0001", "erin"), "data/cooperations/COOP-0001.json")
    repo.commit("erin's own intent")
    assert repo.refusals("erin") == []
    assert repo.refusals("maint-sh") == []  # the project's maintainer may file it for them


def test_an_enterprise_and_its_intent_may_come_together(repo: Repo) -> None:
    repo.put(_enterprise("ENT-0001", "erin"), "data/enterprises/ENT-0001.json")
    repo.put(_cooperation("COOP-0001", "ENT-0001", "erin"), "data/cooperations/COOP-0001.json")
    repo.commit("an enterprise and its intent")
    assert repo.refusals("erin") == []


# --- edits --------------------------------------------------------------------------------


def test_submitter_edits_descriptive_fields_others_may_not(repo: Repo) -> None:
    repo.put(project("SH-2026-0001", project_name="改名"))
    repo.commit("edit")
    assert repo.refusals("alice") == []
    assert repo.refusals("maint-sh") == []
    assert repo.refusals("admin") == []
    assert "alice" in repo.reasons("bob") and "someone else" in repo.reasons("bob")
    assert len(repo.refusals("maint-gd")) == 1  # a maintainer of another province


@pytest.mark.parametrize(
    ("change", "maintainer"),
    [
        ({"programme": "NMPA-2025"}, "admin"),  # out of maint-sh's programme: not theirs
        ({"submitted_by": "mallory"}, "maint-sh"),
        ({"submitted": "2026-01-01"}, "maint-sh"),
    ],
    ids=["programme", "submitted_by", "submitted"],
)
def test_fields_set_at_submission_are_the_maintainers_afterwards(
    repo: Repo, change: dict, maintainer: str
) -> None:
    repo.put(project("SH-2026-0001", **change))
    repo.commit("guarded edit")
    assert "维护者" in repo.reasons("alice")
    assert repo.refusals(maintainer) == []


def test_status_history_and_withdrawal_are_for_maintainers(repo: Repo) -> None:
    history = [{"date": TODAY, "status": "已提交"}, {"date": TODAY, "status": "初核通过"}]
    repo.put(project("SH-2026-0001", status="初核通过", history=history))
    repo.commit("advance")
    reasons = repo.reasons("alice")
    assert "history" in reasons and "status" in reasons
    assert repo.refusals("maint-sh") == []
    withdrawn = [{"date": TODAY, "status": "已提交"}, {"date": TODAY, "status": "撤回"}]
    repo.put(project("SH-2026-0002", submitted_by="carol", status="撤回", history=withdrawn))
    repo.commit("withdraw")
    assert "撤回" in repo.reasons("carol") and "withdraw" in repo.reasons("carol")


def test_moving_a_record_file_needs_a_maintainer(repo: Repo) -> None:
    (repo.root / repo.path("SH-2026-0001")).rename(repo.root / "data/projects/GD/SH-2026-0001.json")
    repo.commit("move")
    assert "移动" in repo.reasons("alice")
    assert repo.refusals("admin") == []


# --- no deletion by any means -------------------------------------------------------------


def test_nobody_deletes_a_record(repo: Repo) -> None:
    os.remove(repo.root / repo.path("SH-2026-0002"))
    repo.commit("delete")
    for author in ("carol", "admin", "maint-sh"):
        [refusal] = repo.refusals(author)
        assert "不能删除" in refusal.reason_zh


@pytest.mark.parametrize("target", ["/dev/null", "SH-2026-0001.json", "../../programmes.csv"])
def test_a_record_replaced_by_a_link_is_refused(repo: Repo, target: str) -> None:
    path = repo.root / repo.path("SH-2026-0002")
    path.unlink()
    path.symlink_to(target)
    repo.commit("link")
    for author in ("carol", "admin"):
        assert "链接" in repo.reasons(author)


def test_a_record_replaced_by_a_submodule_is_refused(repo: Repo) -> None:
    path = repo.path("SH-2026-0002")
    repo.git("rm", "-q", "--cached", path)
    (repo.root / path).unlink()
    sha = "0123456789abcdef0123456789abcdef01234567"
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{sha},{path}")
    repo.git("commit", "-q", "-m", "submodule")
    for author in ("carol", "admin"):
        assert "子模块" in repo.reasons(author)


def test_a_record_replaced_by_a_folder_is_refused(repo: Repo) -> None:
    path = repo.root / repo.path("SH-2026-0002")
    path.unlink()
    path.mkdir()
    (path / "inner.json").write_text("{}")
    repo.commit("folder")
    assert "不能删除" in repo.reasons("carol")
    assert "data/ 下不能加入" in repo.reasons("carol")


def test_a_mode_change_is_refused(repo: Repo) -> None:
    (repo.root / repo.path("SH-2026-0002")).chmod(0o755)
    repo.commit("chmod")
    assert "类型或权限" in repo.reasons("carol")


def test_a_new_link_under_data_is_refused(repo: Repo) -> None:
    (repo.root / "data/projects/SH/SH-2026-0003.json").symlink_to("SH-2026-0001.json")
    repo.commit("new link")
    assert "链接" in repo.reasons("alice")


# --- outside the records ------------------------------------------------------------------


def test_files_outside_records_need_a_maintainer_of_everything(repo: Repo) -> None:
    repo.write("README.md", "hello\n")
    repo.write(".github/maintainers.csv", MAINTAINERS + "mallory,*,我自己\n")
    repo.commit("outside")
    refusals = repo.refusals("mallory")  # the new row does not count: base decides
    assert {r.path for r in refusals} == {"README.md", ".github/maintainers.csv"}
    assert repo.refusals("admin") == []
    assert len(repo.refusals("maint-gd")) == 2


def test_a_programme_maintainer_cannot_widen_their_scope_or_add_a_workflow(repo: Repo) -> None:
    repo.write(".github/maintainers.csv", MAINTAINERS.replace("maint-sh,SH-2026", "maint-sh,*"))
    repo.write(".github/workflows/mine.yml", "on: push\n")
    repo.commit("widen")
    assert {r.path for r in repo.refusals("maint-sh")} == {
        ".github/maintainers.csv",
        ".github/workflows/mine.yml",
    }
    assert repo.refusals("admin") == []


def test_hand_kept_tables_need_a_maintainer_of_everything(repo: Repo) -> None:
    repo.write("data/programmes.csv", PROGRAMMES + "BJ-2026,北京方案,BJ\n")
    repo.commit("table")
    assert "全局维护者" in repo.reasons("maint-sh")
    assert repo.refusals("admin") == []


# --- the command --------------------------------------------------------------------------


def test_cli_prints_each_refusal_and_exits_1(repo: Repo, run_cli) -> None:
    repo.put(project("SH-2026-0002", submitted_by="carol", project_name="他人修改"))
    repo.commit("edit")
    base, head = repo.git("rev-parse", "HEAD~1"), repo.git("rev-parse", "HEAD")
    args = ("policy", "--repo", str(repo.root), "--base", base, "--head", head)
    code, output = run_cli(*args, "--author", "bob")
    assert code == 1 and "SH-2026-0002.json" in output and "refused" in output
    code, output = run_cli(*args, "--author", "carol")
    assert code == 0 and "Every change is allowed" in output
    code, output = run_cli(
        "policy", "--repo", str(repo.root), "--base", "nope", "--head", head, "--author", "x"
    )
    assert code == 1 and "nope" in output and "Traceback" not in output


def test_codeowners_mirrors_the_maintainers_file() -> None:
    text = codeowners(MAINTAINERS, PROGRAMMES)
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines == [
        "* @admin",
        "/data/projects/GD/ @admin @maint-gd",
        "/data/projects/SH/ @admin @maint-sh",
    ]


def test_repository_codeowners_is_current(run_cli) -> None:
    code, output = run_cli("policy", "--codeowners", "--check", "--repo", str(REPO_ROOT))
    assert code == 0, output
