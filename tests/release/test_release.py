"""Releases in real temporary git repositories: versions, change lists, ledger, tags, and the
``record.deleted`` rule against the last release."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import orjson
import pytest

from springrain import pipeline
from springrain.errors import SpringrainError
from springrain.model.kinds import kind as record_kind
from springrain.model.records import load_records, write_record
from springrain.release.changes import compare_schemas, next_version, release, verify
from springrain.validate.engine import validate


def deleted(data: Path) -> list[tuple[str, str]]:
    """The record.deleted findings of validating ``data``."""
    report = validate(data, allow_demo=True)
    return [(f.rule, f.file) for f in report.findings if f.rule == "record.deleted"]


TODAY = dt.date.today()


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def repo(demo_source: Path, tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(demo_source, root / "data")
    git(root, "init", "-q", "-b", "main")
    for key, value in (
        ("user.email", "test@example.invalid"),
        ("user.name", "test"),
        ("commit.gpgsign", "false"),
        ("tag.gpgsign", "false"),
    ):
        git(root, "config", key, value)
    git(root, "add", "data")
    git(root, "commit", "-q", "-m", "data")
    return root


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A", "data")
    git(repo, "commit", "-q", "-m", message)


def first(repo: Path, kind: str) -> dict:
    return sorted(load_records(repo / "data", kind), key=lambda r: r["id"])[0]


def withdrawable(repo: Path) -> dict:
    for record in sorted(load_records(repo / "data", "project"), key=lambda r: r["id"]):
        if record["status"] not in ("撤回", "清退", "获批上市"):
            return record
    raise AssertionError("no open project in the demo data")


def test_release_sequence_versions_and_change_list(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data = repo / "data"
    one = release(repo, allow_demo=True)
    assert (one.version, one.tag) == ("1.0.0", "v1.0.0")
    # Built after the release commit, the package the site serves is the one released: the
    # same files with the checksums the ledger holds.
    built = pipeline.build(data, tmp_path / "package", tmp_path / "site", demo=True)
    assert built.descriptor["version"] == "1.0.0"
    assert verify(repo, tmp_path / "package", "1.0.0") == []
    # The site serves the package as one zip: unzipped, it is the release, file for file.
    served = tmp_path / "served"
    with zipfile.ZipFile(tmp_path / "site" / "data" / "springrain-data.zip") as bundle:
        bundle.extractall(served)
    assert verify(repo, served, "1.0.0") == []
    assert sorted(p.name for p in served.iterdir() if p.is_file()) == sorted(
        p.name for p in (tmp_path / "package").iterdir() if p.is_file()
    )
    ledger_names = {f["name"] for f in one.ledger_entry["files"]}
    assert {"matches.csv", "stats.json", "springrain.xlsx", "springrain.sqlite"} <= ledger_names
    assert "v1.0.0" in git(repo, "tag", "--list")
    assert git(repo, "status", "--porcelain").strip() == ""
    projects_before = len(load_records(data, "project"))
    assert one.ledger_entry["counts"]["projects"] == projects_before

    # Add a project, change an enterprise field, withdraw a project.
    source = first(repo, "project")
    added = copy.deepcopy(source)
    prefix = source["id"].rsplit("-", 1)[0]
    added["id"] = f"{prefix}-9001"
    added["project_name"] = source["project_name"] + "（二代）"
    write_record(data, "project", added)
    enterprise = first(repo, "enterprise")
    enterprise["profile"] = enterprise["profile"] + "（已更正）"
    write_record(data, "enterprise", enterprise)
    project = withdrawable(repo)
    event_date = max(TODAY.isoformat(), project["history"][-1]["date"])
    project["history"].append(
        {"date": event_date, "status": "撤回", "note": "示例：申报方撤回", "source": "示例"}
    )
    project["status"] = "撤回"
    write_record(data, "project", project)
    commit_all(repo, "changes")

    two = release(repo, allow_demo=True, today=dt.date.fromisoformat(event_date))
    assert two.version == "1.1.0"  # records added → minor
    records = two.change["records"]
    assert records["project"]["added"] == [added["id"]]
    assert records["enterprise"]["updated"] == [{"id": enterprise["id"], "fields": ["profile"]}]
    assert records["project"]["withdrawn"] == [
        {"id": project["id"], "status": "撤回", "fields": ["history", "status"]}
    ]
    assert two.change["counts"]["projects"] == projects_before + 1
    changes_file = orjson.loads((repo / "changes" / "1.1.0.json").read_bytes())
    assert changes_file["records"] == records
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## 1.1.0") < changelog.index("## 1.0.0")
    for name in (added["id"], enterprise["id"], project["id"]):
        assert name in changelog
    ledger = orjson.loads((repo / "releases" / "ledger.json").read_bytes())
    assert [e["version"] for e in ledger] == ["1.0.0", "1.1.0"]
    assert {f["name"] for f in ledger[1]["files"]} >= {"projects.csv", "springrain.xlsx"}

    # A correction alone is a patch; nothing at all is refused.
    enterprise["profile"] = enterprise["profile"] + "。"
    write_record(data, "enterprise", enterprise)
    commit_all(repo, "fix")
    assert release(repo, allow_demo=True, today=dt.date.fromisoformat(event_date)).version == (
        "1.1.1"
    )
    with pytest.raises(SpringrainError):
        release(repo, allow_demo=True, today=dt.date.fromisoformat(event_date))
    assert release(repo, allow_demo=True, bump="major").version == "2.0.0"


def test_release_refuses_uncommitted_data(repo: Path) -> None:
    enterprise = first(repo, "enterprise")
    enterprise["profile"] += "。"
    write_record(repo / "data", "enterprise", enterprise)
    with pytest.raises(SpringrainError):
        release(repo, allow_demo=True)


def test_deleted_record_is_flagged_after_a_release(repo: Path) -> None:
    data = repo / "data"
    assert deleted(data) == []  # no tag yet: quiet
    release(repo, allow_demo=True)
    assert deleted(data) == []
    victim = record_kind("enterprise").path_of(data, first(repo, "enterprise"))
    victim.unlink()
    assert deleted(data) == [("record.deleted", victim.relative_to(repo).as_posix())]


def test_deleted_rule_is_quiet_outside_git(demo_copy: Path) -> None:
    assert deleted(demo_copy) == []


def test_next_version() -> None:
    assert next_version(None, "major") == "1.0.0"
    assert next_version("1.2.3", "major") == "2.0.0"
    assert next_version("1.2.3", "minor") == "1.3.0"
    assert next_version("1.2.3", "patch") == "1.2.4"


def test_a_version_with_a_digit_int_cannot_read_is_refused_not_a_crash() -> None:
    with pytest.raises(SpringrainError, match=r"MAJOR\.MINOR\.PATCH"):
        next_version("1.².3", "patch")


def test_compare_schemas_levels() -> None:
    base = {
        "t": {
            "fields": [
                {"name": "id", "type": "string", "constraints": {"required": True}},
                {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
                {"name": "n", "type": "integer", "constraints": {"maximum": 10}},
            ],
            "primaryKey": ["id"],
        }
    }
    assert compare_schemas(base, copy.deepcopy(base)) == {"major": [], "minor": []}
    added = copy.deepcopy(base)
    added["t"]["fields"].append({"name": "note", "type": "string"})
    added["t"]["fields"][1]["constraints"]["enum"].append("c")
    result = compare_schemas(base, added)
    assert result["major"] == [] and len(result["minor"]) == 2
    for change in (
        lambda s: s["t"]["fields"].pop(2),  # removed
        lambda s: s["t"]["fields"][2].update(type="number"),  # retyped
        lambda s: s["t"]["fields"][1]["constraints"]["enum"].pop(),  # enum narrowed
        lambda s: s["t"]["fields"][2]["constraints"].update(maximum=5),  # tightened
        lambda s: s["t"]["fields"][1]["constraints"].update(required=True),  # now required
    ):
        changed = copy.deepcopy(base)
        change(changed)
        assert compare_schemas(base, changed)["major"], change


def test_release_cli_help(run_cli) -> None:
    code, output = run_cli("release", "--help")
    assert code == 0 and "--bump" in output


@pytest.mark.parametrize(
    "ledger",
    [b"{", b"{}", b"[{}]", b'["1.0.0"]', b'[{"version": "1.0", "date": "x", "tag": "v1"}]'],
    ids=["not-json", "object", "empty-entry", "bare-version", "wrong-fields"],
)
def test_a_ledger_edited_into_another_shape_is_refused_not_overwritten(
    repo: Path, tmp_path: Path, ledger: bytes
) -> None:
    path = repo / "releases" / "ledger.json"
    path.parent.mkdir()
    path.write_bytes(ledger)
    with pytest.raises(SpringrainError) as error:
        release(repo, allow_demo=True, commit=False)
    assert "releases/ledger.json" in error.value.message_zh and "git" in error.value.message_zh
    assert path.read_bytes() == ledger
    # The package names the ledger's last version: it refuses the same ledger.
    with pytest.raises(SpringrainError):
        pipeline.package(repo / "data", tmp_path / "package", demo=True)


def test_a_record_at_the_last_release_that_is_not_a_record_is_named(repo: Path) -> None:
    target = next((repo / "data" / "projects").rglob("*.json"))
    good = target.read_bytes()
    target.write_text("not json", encoding="utf-8")
    commit_all(repo, "break a record")
    git(repo, "tag", "-a", "v1.0.0", "-m", "a release tagged by hand")
    target.write_bytes(good)
    commit_all(repo, "repair")
    with pytest.raises(SpringrainError) as error:
        release(repo, allow_demo=True, commit=False)
    assert target.name in error.value.message_zh and "v1.0.0" in error.value.message_zh
