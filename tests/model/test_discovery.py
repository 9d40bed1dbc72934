"""The one discovery of record files: every entry under data/ is a record, a table or an
error, never skipped."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from springrain.model import discovery
from springrain.model.discovery import classify, classify_path, discover

PROJECT = '{"id": "GD-2025-0001"}\n'


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    (root / "projects" / "GD").mkdir(parents=True)
    (root / "enterprises").mkdir()
    (root / "projects" / "GD" / "GD-2025-0001.json").write_text(PROJECT)
    (root / "enterprises" / "ENT-0001.json").write_text("{}\n")
    (root / "programmes.csv").write_text("id\n")
    return root


def test_records_and_tables_are_found(data: Path) -> None:
    found = discover(data)
    assert [(Path(r.path).name, r.kind) for r in found.records] == [
        ("ENT-0001.json", "enterprise"),
        ("GD-2025-0001.json", "project"),
    ]
    assert found.tables == ["programmes"]
    assert found.strays == []


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (
            lambda d: (d / "projects" / "GD" / "GD-2025-0002.json").symlink_to("/dev/null"),
            "symlink",
        ),
        (
            lambda d: (d / "projects" / "GD" / "GD-2025-0003.json").symlink_to("GD-2025-0001.json"),
            "symlink",
        ),
        (lambda d: (d / "projects" / "GD").rename(d / "projects" / ".GD"), "hidden"),
        (lambda d: (d / "enterprises" / ".ENT-0002.json").write_text("{}"), "hidden"),
        (lambda d: (d / "enterprises" / "ENT-0002.json").mkdir(), "folder"),
        (lambda d: (d / "enterprises" / "ENT-0002.txt").write_text("{}"), "extension"),
        (lambda d: (d / "enterprises" / "ENT-0002.JSON").write_text("{}"), "extension"),
        (lambda d: (d / "projects" / "GD-2025-0002.json").write_text("{}"), "misplaced"),
        (
            lambda d: (
                (d / "projects" / "GD" / "x" / "GD-2025-0002.json").parent.mkdir()
                or (d / "projects" / "GD" / "x" / "GD-2025-0002.json").write_text("{}")
            ),
            "folder",
        ),
        (lambda d: (d / "README.md").write_text("hi"), "unexpected"),
        (lambda d: (d / "notes").mkdir(), "unexpected"),
        (lambda d: os.mkfifo(d / "projects" / "GD" / "GD-2025-0002.json"), "special"),
        (lambda d: (d / "programmes.csv").rename(d / "programmes.CSV"), "unexpected"),
    ],
)
def test_every_other_entry_is_a_stray(data: Path, make, problem: str) -> None:
    make(data)
    found = discover(data)
    assert [s.problem for s in found.strays] == [problem]


def test_a_linked_folder_is_a_stray_and_not_followed(data: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "GD-2025-0009.json").write_text("{}")
    (data / "projects" / "SH").symlink_to(outside)
    found = discover(data)
    assert [s.problem for s in found.strays] == ["symlink"]
    assert all("GD-2025-0009" not in r.path for r in found.records)


def test_a_submodule_recorded_by_git_is_a_stray(data: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args],
            cwd=data.parent,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "-A")
    sha = "0123456789abcdef0123456789abcdef01234567"
    git("update-index", "--add", "--cacheinfo", f"160000,{sha},data/projects/GD/GD-2025-0005.json")
    (data / "projects" / "GD" / "GD-2025-0005.json").mkdir()  # as an uninitialised checkout
    found = discover(data)
    assert [(Path(s.path).name, s.problem) for s in found.strays] == [
        ("GD-2025-0005.json", "submodule")
    ]


def test_classify_judges_git_tree_entries_the_same_way() -> None:
    assert classify(("projects", "GD", "GD-2025-0001.json"), discovery.FILE) == ("project", None)
    assert classify(("projects", "GD", "GD-2025-0001.json"), discovery.SYMLINK) == (
        "project",
        "symlink",
    )
    assert classify(("enterprises", "ENT-0001.json"), discovery.SUBMODULE) == (
        "enterprise",
        "submodule",
    )
    assert classify(("targets.csv",), discovery.FILE) == ("table", None)


def test_a_named_path_outside_the_data_directory_is_judged_by_its_folders(tmp_path: Path) -> None:
    record = tmp_path / "elsewhere" / "enterprises" / "ENT-0001.json"
    record.parent.mkdir(parents=True)
    record.write_text("{}")
    judged = classify_path(record, tmp_path / "data")
    assert isinstance(judged, discovery.RecordFile) and judged.kind == "enterprise"
    loose = tmp_path / "loose.json"
    loose.write_text("{}")
    assert isinstance(classify_path(loose, tmp_path / "data"), discovery.Stray)
