"""springrain policy: real temporary git repositories, one commit per case."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from springrain.config import REPO_ROOT
from springrain.intake.policy import check, codeowners

MAINTAINERS = "login,scope,note\nmaint-sh,SH-2026,上海\nmaint-gd,GD,广东\nadmin,*,全部\n"
PROGRAMMES = "id,name_zh,province\nSH-2026,上海方案,SH\nGD-2025,广东方案,GD\nNMPA-2025,国家方案,\n"


def project(record_id: str, submitted_by: str = "alice", **extra: object) -> dict:
    record = {
        "id": record_id,
        "programme": "SH-2026",
        "province": record_id[:2],
        "project_name": "测试项目",
        "submitted_by": submitted_by,
        "status": "已提交",
        "history": [{"date": "2026-06-01", "status": "已提交", "source": "test"}],
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

    def put(self, record: dict) -> str:
        path = f"data/projects/{record['province']}/{record['id']}.json"
        self.write(path, json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        return path

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def refusals(self, author: str) -> list:
        return check(self.root, "HEAD~1", "HEAD", author)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path)


def test_anyone_adds_a_record_in_the_initial_status(repo: Repo) -> None:
    repo.put(project("SH-2026-0003", submitted_by="dave"))
    repo.commit("new")
    assert repo.refusals("dave") == []
    assert repo.refusals("github-actions[bot]") == []


def test_a_new_record_past_the_initial_status_needs_a_maintainer(repo: Repo) -> None:
    history = [
        {"date": "2026-06-01", "status": "已提交", "source": "t"},
        {"date": "2026-06-02", "status": "初核通过", "source": "t"},
    ]
    repo.put(project("SH-2026-0003", status="初核通过", history=history))
    repo.commit("new, advanced")
    [refusal] = repo.refusals("dave")
    assert "初始状态" in refusal.reason_zh and "start in status" in refusal.reason_en
    assert repo.refusals("maint-sh") == []


def test_submitter_edits_descriptive_fields_others_may_not(repo: Repo) -> None:
    repo.put(project("SH-2026-0001", project_name="改名"))
    repo.commit("edit")
    assert repo.refusals("alice") == []
    assert repo.refusals("ALICE") == []  # logins are case-insensitive
    assert repo.refusals("maint-sh") == []
    assert repo.refusals("admin") == []
    [refusal] = repo.refusals("bob")
    assert "alice" in refusal.reason_zh and "someone else" in refusal.reason_en
    assert len(repo.refusals("maint-gd")) == 1  # a maintainer of another province


def test_status_history_and_withdrawal_are_for_maintainers(repo: Repo) -> None:
    history = [
        {"date": "2026-06-01", "status": "已提交", "source": "test"},
        {"date": "2026-06-03", "status": "初核通过", "source": "评审会"},
    ]
    repo.put(project("SH-2026-0001", status="初核通过", history=history))
    repo.commit("advance")
    [refusal] = repo.refusals("alice")
    assert "history" in refusal.reason_zh and "status" in refusal.reason_zh
    assert repo.refusals("maint-sh") == []
    withdrawn = [
        {"date": "2026-06-01", "status": "已提交", "source": "test"},
        {"date": "2026-06-03", "status": "撤回", "source": "申请"},
    ]
    repo.put(project("SH-2026-0002", submitted_by="carol", status="撤回", history=withdrawn))
    repo.commit("withdraw")
    [refusal] = repo.refusals("carol")
    assert "撤回" in refusal.reason_zh and "withdraw" in refusal.reason_en


def test_nobody_deletes_a_record_or_changes_an_id(repo: Repo) -> None:
    (repo.root / "data/projects/SH/SH-2026-0002.json").unlink()
    repo.commit("delete")
    for author in ("carol", "admin", "maint-sh"):
        [refusal] = repo.refusals(author)
        assert "不能删除" in refusal.reason_zh
    repo.put(project("SH-2026-0009", submitted_by="alice") | {"id": "SH-2026-0009"})
    repo.commit("new")
    record = project("SH-2026-0009")
    record["id"] = "SH-2026-0010"
    repo.write(
        "data/projects/SH/SH-2026-0009.json", json.dumps(record, ensure_ascii=False, indent=2)
    )
    repo.commit("id change")
    reasons = [r.reason_zh for r in repo.refusals("alice")]
    assert any("编号" in r for r in reasons)


def test_ids_are_never_reused(repo: Repo) -> None:
    (repo.root / "data/projects/SH/SH-2026-0002.json").unlink()
    repo.commit("delete (a maintainer's old mistake)")
    repo.put(project("SH-2026-0002", submitted_by="eve"))
    repo.commit("reuse")
    [refusal] = repo.refusals("eve")
    assert "已经使用过" in refusal.reason_zh
    repo.put(project("SH-2026-0001", submitted_by="eve") | {"province": "GD"})
    repo.commit("same id, another folder")
    assert any("已经使用过" in r.reason_zh for r in repo.refusals("eve"))


def test_files_outside_records_need_a_maintainer(repo: Repo) -> None:
    repo.write("README.md", "hello\n")
    repo.write(".github/maintainers.csv", MAINTAINERS + "mallory,*,我自己\n")
    repo.commit("outside")
    refusals = repo.refusals("mallory")  # the new row does not count: base decides
    assert {r.path for r in refusals} == {"README.md", ".github/maintainers.csv"}
    assert repo.refusals("maint-gd") == []
    repo.write("data/programmes.csv", PROGRAMMES + "BJ-2026,北京方案,BJ\n")
    repo.commit("table")
    [refusal] = repo.refusals("alice")
    assert "表格" in refusal.reason_zh


def test_cli_prints_each_refusal_and_exits_1(repo: Repo, run_cli) -> None:
    repo.put(project("SH-2026-0002", submitted_by="carol", project_name="他人修改"))
    repo.commit("edit")
    base, head = repo.git("rev-parse", "HEAD~1"), repo.git("rev-parse", "HEAD")
    code, output = run_cli(
        "policy", "--repo", str(repo.root), "--base", base, "--head", head, "--author", "bob"
    )
    assert code == 1 and "SH-2026-0002.json" in output and "refused" in output
    code, output = run_cli(
        "policy", "--repo", str(repo.root), "--base", base, "--head", head, "--author", "carol"
    )
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
