"""The CLI through its front door: exit codes, output formats, bilingual help and errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "records"
PROJECT = "projects/GD/GD-2025-0001.json"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURES, target)
    return target


def break_contact(data: Path) -> None:
    record = json.loads((data / PROJECT).read_text("utf-8"))
    record["contact_route"] = "13800138000"
    from springrain.model.records import canonical_bytes

    (data / PROJECT).write_bytes(canonical_bytes("project", record))


def test_help_is_bilingual(run_cli) -> None:
    code, output = run_cli("--help")
    assert code == 0 and "校验" in output and "validate" in output
    for command in ("validate", "fmt", "demo"):
        code, output = run_cli(command, "-h")
        assert code == 0 and "例 / Example" in output


def test_validate_clean_exits_zero(run_cli, data: Path) -> None:
    code, output = run_cli("validate", "--data", str(data), "--today", "2026-11-27")
    assert code == 0 and "没有错误" in output and "0 errors" in output


def test_validate_errors_exit_one_and_name_file_and_field(run_cli, data: Path) -> None:
    break_contact(data)
    code, output = run_cli("validate", "--data", str(data), "--today", "2026-11-27")
    assert code == 1
    assert "GD-2025-0001.json" in output and "联系途径" in output and "pii.mobile" in output
    assert "Traceback" not in output


def test_a_file_name_with_a_line_break_or_direction_override_stays_on_one_line(
    run_cli, data: Path
) -> None:
    """A hostile file name cannot split a finding over lines or reverse what it shows."""
    for name in ("GD-2025-0009\nevil.json", "x\u202enosj.json"):
        shutil.copy(data / PROJECT, data / "projects/GD" / name)
    code, output = run_cli("validate", "--data", str(data), "--today", "2026-11-27")
    assert code == 1
    assert "\u202e" not in output and "\nevil" not in output
    assert output.count("GD-2025-0009\\nevil.json") >= 3  # the heading and both messages
    assert "x\\u202enosj.json" in output


def test_a_file_name_holding_a_backslash_is_not_shown_as_a_line_break(run_cli, data: Path) -> None:
    shutil.copy(data / PROJECT, data / "projects/GD" / "GD-2025-0009\\nevil.json")
    code, output = run_cli("validate", "--data", str(data), "--today", "2026-11-27")
    assert code == 1
    # Doubled: two characters, where a line break in a name shows as \n (the test above).
    assert "GD-2025-0009\\\\nevil.json" in output


def test_validate_json_format(run_cli, data: Path) -> None:
    break_contact(data)
    code, output = run_cli(
        "validate", "--data", str(data), "--format", "json", "--today", "2026-11-27"
    )
    rows = json.loads(output)
    assert code == 1
    assert {"file", "pointer", "rule", "severity", "message_zh", "message_en"} == set(rows[0])
    assert any(r["rule"] == "pii.mobile" and r["pointer"] == "/contact_route" for r in rows)


def test_validate_github_format_points_at_the_line(run_cli, data: Path) -> None:
    break_contact(data)
    code, output = run_cli(
        "validate", "--data", str(data), "--format", "github", "--today", "2026-11-27"
    )
    lines = (data / PROJECT).read_text("utf-8").splitlines()
    expected = next(i for i, line in enumerate(lines, 1) if line.startswith('  "contact_route"'))
    [annotation] = [line for line in output.splitlines() if "pii.mobile" in line]
    assert code == 1 and annotation.startswith("::error file=")
    assert f",line={expected}," in annotation and "%0A" in annotation


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_a_hostile_key_where_a_list_belongs_is_reported_in_every_format(
    run_cli, data: Path, output_format: str
) -> None:
    """An object in place of the history list, keyed ² (a digit to str.isdigit, no number
    to int()), with a phone number in it: reported, never a traceback."""
    record = json.loads((data / PROJECT).read_text("utf-8"))
    record["history"] = {"²": {"note": "电话 13800138000"}}
    (data / PROJECT).write_text(json.dumps(record, ensure_ascii=False, indent=2), "utf-8")
    code, output = run_cli(
        "validate", "--data", str(data), "--format", output_format, "--today", "2026-11-27"
    )
    assert code == 1 and "Traceback" not in output
    assert "pii.mobile" in output and "schema.type" in output


def test_validate_named_paths_only_reports_those(run_cli, data: Path) -> None:
    break_contact(data)
    other = data / "enterprises/ENT-0001.json"
    code, output = run_cli("validate", str(other), "--data", str(data), "--today", "2026-11-27")
    assert code == 0, output


def test_bad_usage_exits_two_in_both_languages(run_cli) -> None:
    code, output = run_cli("validate", "--format", "xml")
    assert code == 2 and "用法错误" in output and "Usage error" in output
    code, output = run_cli("no-such-command")
    assert code == 2


def test_fmt_rewrites_canonically_and_keeps_content(run_cli, data: Path) -> None:
    path = data / PROJECT
    record = json.loads(path.read_text("utf-8"))
    path.write_bytes(
        b"\xef\xbb\xbf" + json.dumps(dict(reversed(record.items())), ensure_ascii=True).encode()
    )
    code, output = run_cli("validate", "--data", str(data), "--today", "2026-11-27")
    assert code == 1 and "format.non_canonical" in output and "encoding.bom" in output
    code, output = run_cli("fmt", "--data", str(data), "--check")
    assert code == 1 and "GD-2025-0001.json" in output
    code, output = run_cli("fmt", "--data", str(data))
    assert code == 0
    assert json.loads(path.read_text("utf-8")) == record
    assert path.read_bytes() == (FIXTURES / PROJECT).read_bytes()
    code, _ = run_cli("validate", "--data", str(data), "--today", "2026-11-27")
    assert code == 0


def test_fmt_refuses_ambiguous_files_untouched(run_cli, data: Path) -> None:
    path = data / PROJECT
    path.write_bytes(b'{"id": "a", "id": "b"}')
    code, output = run_cli("fmt", "--data", str(data))
    assert code == 1 and "重复" in output
    assert path.read_bytes() == b'{"id": "a", "id": "b"}'


def test_demo_writes_valid_fictional_data(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    code, _ = run_cli(
        "demo", "--projects", "60", "--enterprises", "10", "--cooperations", "8", "--out", str(out)
    )
    assert code == 0
    records = [json.loads(p.read_text("utf-8")) for p in out.rglob("*.json")]
    assert len(records) >= 70 and all(r["demo"] is True for r in records)
    names = [r.get("project_name") or r.get("name") for r in records if "project" not in r]
    assert all("示例" in name for name in names)
    code, output = run_cli("validate", "--data", str(out), "--demo")
    assert code == 0, output
    code, output = run_cli("validate", "--data", str(out))
    assert code == 1 and "demo.in_data" in output


def test_demo_is_reproducible(tmp_path: Path) -> None:
    from springrain.demo import generate

    assert generate(30, 5, 3, seed=9) == generate(30, 5, 3, seed=9)


def test_demo_refuses_real_data_dir(run_cli) -> None:
    from springrain.config import DATA_DIR

    code, output = run_cli("demo", "--projects", "1", "--out", str(DATA_DIR))
    assert code == 2 and "数据目录" in output and "data directory" in output


def test_module_entry_point_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "springrain", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "springrain" in result.stdout


def test_validate_missing_data_dir_is_an_error_not_an_empty_pass(run_cli, tmp_path: Path) -> None:
    code, output = run_cli("validate", "--data", str(tmp_path / "nope"))
    assert code == 1 and "不存在" in output and "does not exist" in output


@pytest.mark.parametrize(
    "issue",
    [
        {"body": "x", "user": {"login": "a"}, "number": 1e999},
        {"body": "x", "user": {"login": "a"}, "number": 3.7},
        {"body": "x", "user": {"login": "a"}, "number": True},
        {"body": "x", "user": {"login": "a"}, "number": -1},
        {"body": ["x"], "user": {"login": "a"}, "number": 3},
        {"body": "x", "user": None, "number": 3},
        [],
    ],
)
def test_intake_refuses_a_malformed_event_file(run_cli, tmp_path: Path, issue: object) -> None:
    """GitHub's event file gives a string body and login and a positive whole number: any
    other is refused with a message, never converted (3.7 is not issue 3) or a traceback."""
    event = tmp_path / "event.json"
    # allow_nan: 1e999 is written as Infinity, which json.loads reads back as a float.
    event.write_text(json.dumps({"issue": issue}), encoding="utf-8")
    code, output = run_cli("intake", "--event", str(event), "--data", str(tmp_path / "data"))
    assert code == 1
    assert "无法读取事件文件" in output and "Cannot read the event file" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("option", ["--body", "--event"])
@pytest.mark.parametrize("source", ["/dev/zero", "huge"])
def test_intake_refuses_a_file_no_issue_could_be_unread(
    run_cli, tmp_path: Path, option: str, source: str
) -> None:
    """An issue's body is at most 65,536 characters: a larger file (or a device that never
    ends) is refused after a bounded read, never read whole into memory."""
    if source == "huge":
        path = tmp_path / "huge.md"
        path.write_bytes(b"x" * (4 << 20))
        source = str(path)
    code, output = run_cli("intake", option, source, "--data", str(tmp_path / "data"))
    assert code == 1 and "Traceback" not in output
    assert "不是议题正文或事件文件" in output and "nothing was done" in output
