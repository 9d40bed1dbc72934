"""Generated files are current, and ``springrain generate`` notices and repairs drift."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from springrain import generated
from springrain.config import settings


def test_every_generated_file_is_current() -> None:
    assert generated.stale() == [], "run `springrain generate` and commit the result"


@pytest.fixture
def copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The generated folders copied to ``tmp_path``, and the registry pointed at them."""
    moved = []
    for index, entry in enumerate(generated.GENERATED):
        target = tmp_path / str(index)
        target.mkdir()
        for path in entry.directory.glob(entry.pattern):  # its files only: one is the root's
            shutil.copy(path, target / path.name)
        moved.append(replace(entry, directory=target))
    monkeypatch.setattr(generated, "GENERATED", tuple(moved))
    return [entry.directory for entry in moved]


def test_edited_missing_and_left_over_files_are_stale_and_repaired(
    copies: list[Path], run_cli
) -> None:
    tables, forms, pages = copies[:3]
    (forms / "1-project.yml").write_text("name: old\n", encoding="utf-8")
    (tables / "projects.table.json").unlink()
    (pages / "retired.md").write_text("old page\n", encoding="utf-8")
    expected = [forms / "1-project.yml", tables / "projects.table.json", pages / "retired.md"]
    assert sorted(generated.stale()) == sorted(expected)

    code, output = run_cli("generate", "--check")
    assert code == 1 and "1-project.yml" in output and "retired.md" in output
    assert (forms / "1-project.yml").read_text(encoding="utf-8") == "name: old\n"

    assert run_cli("generate")[0] == 0
    assert generated.stale() == []
    assert not (pages / "retired.md").exists()
    assert run_cli("generate", "--check")[0] == 0


def test_files_it_does_not_own_are_left_alone(copies: list[Path]) -> None:
    tables = copies[0]
    (tables / "README.txt").write_text("notes\n", encoding="utf-8")
    assert generated.regenerate() == []
    assert (tables / "README.txt").exists()


def test_the_citation_names_the_configured_repository(
    copies: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The repository's address is set in one place; CITATION.cff follows it."""
    [citation] = [
        folder / "CITATION.cff" for folder in copies if (folder / "CITATION.cff").exists()
    ]
    assert generated.stale() == []
    monkeypatch.setenv("SPRINGRAIN_REPOSITORY", "https://github.com/example/moved")
    settings.cache_clear()
    try:
        assert citation in generated.stale()
        generated.regenerate()
        assert 'repository-code: "https://github.com/example/moved"' in citation.read_text("utf-8")
    finally:
        monkeypatch.undo()
        settings.cache_clear()
