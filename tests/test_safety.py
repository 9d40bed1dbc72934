"""Safe outputs: no command writes into or empties the data, the repository or tracked files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from springrain.config import DATA_DIR, REPO_ROOT
from springrain.errors import SpringrainError
from springrain.safety import output_dir, output_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "records"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURES, target)
    return target


def test_site_out_data_from_another_directory_deletes_nothing(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`springrain site --out data`, run elsewhere, once emptied the repository's data/ (the
    path was read against mkdocs.yml). Now the path is the working directory's, and the
    repository's data directory is refused wherever it is named from."""
    before = tree(DATA_DIR)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, output = run_cli("site", "--out", str(DATA_DIR))
    assert code == 2 and "拒绝" in output and "Refusing" in output
    # A relative "data" is the working directory's own, not the repository's.
    (elsewhere / "data").mkdir()
    (elsewhere / "data" / "keep.txt").write_text("mine")
    monkeypatch.chdir(REPO_ROOT)
    code, output = run_cli("site", "--out", "data")
    assert code == 2
    assert tree(DATA_DIR) == before


def test_package_into_its_own_data_directory_deletes_nothing(run_cli, data: Path) -> None:
    before = tree(data)
    code, output = run_cli("package", "--data", str(data), "--out", str(data))
    assert code == 2 and "数据目录" in output
    code, output = run_cli("package", "--data", str(data), "--out", str(data.parent))
    assert code == 2
    code, output = run_cli("package", "--data", str(data), "--out", str(data / "projects"))
    assert code == 2
    assert tree(data) == before


def test_build_refuses_a_site_folder_that_is_the_package(
    run_cli, data: Path, tmp_path: Path
) -> None:
    code, output = run_cli(
        "build",
        "--data",
        str(data),
        "--package",
        str(tmp_path / "p"),
        "--site",
        str(tmp_path / "p"),
    )
    assert code == 2 and "拒绝" in output


@pytest.mark.parametrize(
    "folder", [REPO_ROOT, REPO_ROOT / "docs", REPO_ROOT / "schemas", Path.home(), Path("/")]
)
def test_the_repository_its_tracked_files_and_home_are_refused(folder: Path) -> None:
    with pytest.raises(SpringrainError) as error:
        output_dir(folder)
    assert error.value.exit_code == 2


def test_a_git_work_tree_with_tracked_files_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "out").mkdir(parents=True)
    (repo / "out" / "tracked.txt").write_text("x")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    with pytest.raises(SpringrainError):
        output_dir(repo / "out")
    with pytest.raises(SpringrainError):
        output_dir(repo)
    assert output_dir(repo / "fresh") == repo / "fresh"


def test_an_ordinary_build_folder_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.html").write_text("old")
    assert output_dir(tmp_path / "out", [tmp_path / "data"]) == tmp_path / "out"


@pytest.mark.parametrize(
    ("name", "refused"),
    [
        ("", "目录"),
        (".", "目录"),
        ("README.md", "git"),
        ("schemas/project.schema.json", "git"),
        ("data/projects/x.json", "数据目录"),
    ],
)
def test_an_output_file_that_would_overwrite_what_must_stay_is_refused(
    name: str, refused: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    with pytest.raises(SpringrainError) as error:
        output_file(Path(name), [DATA_DIR])
    assert error.value.exit_code == 2 and refused in error.value.message_zh


def test_an_output_file_must_end_as_its_format(tmp_path: Path) -> None:
    with pytest.raises(SpringrainError) as error:
        output_file(tmp_path / "a.csv", suffix=".xlsx")
    assert ".xlsx" in error.value.message_zh
    assert output_file(tmp_path / "a.XLSX", suffix=".xlsx") == tmp_path / "a.XLSX"


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--template", "annex1", "--out", ""),
        ("export", "--template", "annex1", "--out", "a.csv"),
        ("export", "--template", "annex1", "--out", "README.md"),
        ("match", "--out", "README.md"),
        ("stats", "--out", "mkdocs.yml"),
    ],
)
def test_commands_writing_a_file_refuse_before_writing(
    run_cli, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    before = {name: (REPO_ROOT / name).read_bytes() for name in ("README.md", "mkdocs.yml")}
    code, output = run_cli(*args)
    assert code == 2 and "拒绝" in output and "Traceback" not in output
    assert not (REPO_ROOT / "a.csv").exists()
    assert before == {name: (REPO_ROOT / name).read_bytes() for name in before}


def test_an_unwritable_output_file_is_a_message(run_cli, tmp_path: Path) -> None:
    code, output = run_cli(
        "export", "--template", "annex1", "--out", str(tmp_path / "no" / "such" / "a.xlsx")
    )
    assert code == 1 and "无法写入" in output and "Traceback" not in output


def test_nothing_inside_a_git_folder_is_written(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    with pytest.raises(SpringrainError) as error:
        output_file(tmp_path / ".git" / "HEAD")
    assert ".git" in error.value.message_zh
    with pytest.raises(SpringrainError):
        output_dir(tmp_path / ".git" / "out")


def test_export_refuses_to_write_into_the_package_it_reads(run_cli, tmp_path: Path) -> None:
    package = tmp_path / "package"
    package.mkdir()
    code, output = run_cli(
        "export", "--project", "GD-2025-0001", "--package", str(package),
        "--out", str(package / "springrain.xlsx"),
    )  # fmt: skip
    assert code == 2 and "数据包" in output
