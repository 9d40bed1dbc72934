"""The intake workflow replayed locally on the event a repository just made from this one
sends: an issue opened from the project form, with no labels at all (GitHub creates no label
a form names). The parse step's own script runs, as written in .github/workflows/intake.yml,
in a fresh git repository: the bot recognises the form, writes the record, validates it,
checks who may change what as the issue's author, and leaves a comment for the issue."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from springrain.config import DATA_DIR, REPO_ROOT

sys.path.insert(0, str(Path(__file__).resolve().parent / "intake"))
from test_issues import PROJECT, render

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "intake.yml"


def step_script(job: str, step_id: str) -> str:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"][job]["steps"]
    return next(step["run"] for step in steps if step.get("id") == step_id)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def fresh_repository(tmp_path: Path) -> Path:
    """A repository as it is on day one: the hand-kept tables, no records, no labels."""
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    for table in DATA_DIR.glob("*.csv"):
        shutil.copy(table, repo / "data" / table.name)
    (repo / ".github").mkdir()
    shutil.copy(REPO_ROOT / ".github" / "maintainers.csv", repo / ".github" / "maintainers.csv")
    (repo / ".venv" / "bin").mkdir(parents=True)
    (repo / ".venv" / "bin" / "springrain").symlink_to(Path(sys.executable).with_name("springrain"))
    (repo / ".gitignore").write_text(".venv/\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "day one")
    return repo


def replay(repo: Path, tmp_path: Path, body: str, login: str = "dr-li") -> dict[str, str]:
    event = {
        "action": "opened",
        "issue": {
            "number": 1,
            "title": "[项目申报] 测试用智能输液监测装置",
            "body": body,
            "user": {"login": login},
            "labels": [],
            "state": "open",
        },
        "repository": {"default_branch": "main", "full_name": "someone/springrain"},
    }
    (tmp_path / "event.json").write_text(json.dumps(event, ensure_ascii=False), encoding="utf-8")
    runner = tmp_path / "runner"
    runner.mkdir(exist_ok=True)
    output = tmp_path / "output.txt"
    environment = {
        **os.environ,
        "GITHUB_EVENT_PATH": str(tmp_path / "event.json"),
        "RUNNER_TEMP": str(runner),
        "GITHUB_OUTPUT": str(output),
    }
    # actions run `bash -e {0}`
    subprocess.run(
        ["bash", "-e", "-c", step_script("parse", "intake")],
        cwd=repo,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)


@pytest.mark.skipif(shutil.which("jq") is None, reason="the workflow's script uses jq")
def test_a_fresh_repositorys_first_form_submission_gets_a_record_and_a_comment(
    fresh_repository: Path, tmp_path: Path
) -> None:
    outputs = replay(fresh_repository, tmp_path, render("project", PROJECT))
    assert outputs == {"result": "ok"}
    comment = (tmp_path / "runner" / "out" / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("### ✅")
    files = sorted((tmp_path / "runner" / "out" / "files").rglob("*.json"))
    assert len(files) == 1 and files[0].parent.name == "SH"
    record = json.loads(files[0].read_text(encoding="utf-8"))
    assert record["submitted_by"] == "dr-li" and record["status"] == "已提交"
    assert record["history"][0]["source"] == "GitHub issue #1"
    assert "intake: issue #1" in git(fresh_repository, "log", "-1", "--format=%s")


@pytest.mark.skipif(shutil.which("jq") is None, reason="the workflow's script uses jq")
def test_an_ordinary_issue_gets_nothing(fresh_repository: Path, tmp_path: Path) -> None:
    outputs = replay(fresh_repository, tmp_path, "网站的搜索打不开，请看一下。")
    assert outputs == {"result": "none"}
    assert not (tmp_path / "runner" / "out" / "comment.md").exists()


@pytest.mark.skipif(shutil.which("jq") is None, reason="the workflow's script uses jq")
def test_a_submission_with_a_phone_number_gets_the_refusal_and_no_files(
    fresh_repository: Path, tmp_path: Path
) -> None:
    outputs = replay(
        fresh_repository, tmp_path, render("project", {**PROJECT, "联系途径": "电话 139-1234-5678"})
    )
    assert outputs == {"result": "changes"}
    comment = (tmp_path / "runner" / "out" / "comment.md").read_text(encoding="utf-8")
    assert "个人联系方式" in comment
    assert not list((tmp_path / "runner" / "out" / "files").rglob("*.json"))
