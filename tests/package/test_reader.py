"""The package reader's tables read as ``csv.DictReader`` reads them, whatever the file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from springrain.errors import SpringrainError
from springrain.package import reader

TABLES = {
    "plain": "a,b,c\r\n1,2,3\r\n4,5,6\r\n",
    "bom and quotes": '\ufeffa,b\r\n"x, ""y""",z\r\n"line\r\nbreak",w\r\n',
    "ragged": "a,b,c\r\n1,2\r\n1,2,3,4,5\r\n\r\n,,\r\n",
    "header only": "a,b\r\n",
    "empty": "",
    "blank lines": "a\r\n\r\n\r\nx\r\n",
    "duplicate names": "a,a,b\r\n1,2,3\r\n",
}


@pytest.mark.parametrize("name", TABLES)
def test_rows_are_those_of_dictreader(tmp_path: Path, name: str) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes(TABLES[name].encode("utf-8"))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        expected = list(csv.DictReader(handle))
    assert reader._csv(path) == expected


def test_a_table_that_is_not_utf8_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "matches.csv"
    path.write_bytes("a\r\n示例\r\n".encode("gbk"))
    with pytest.raises(SpringrainError) as error:
        reader._csv(path)
    assert "matches.csv" in error.value.message_zh


@pytest.fixture(scope="module")
def small_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sitepackage import write_package
    from springrain.demo import generate

    root = tmp_path_factory.mktemp("reader") / "package"
    return write_package(generate(projects=12, enterprises=4, cooperations=2, seed=5), root)


def _append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


# Each way a package on disk may no longer be the one written, and what the refusal names.
TAMPERING = {
    "record edited": (lambda p: _append(p / "targets.csv", "abc\r\n"), "targets.csv 与"),
    "file removed": (lambda p: (p / "datapackage.json").unlink(), "缺少 SHA256SUMS 列出的文件"),
    "table removed": (lambda p: (p / "projects.csv").unlink(), "projects.csv"),
    "file slipped in": (lambda p: (p / "extra.csv").write_text("a\r\n"), "extra.csv 不在"),
    "checksums removed": (lambda p: (p / "SHA256SUMS").unlink(), "缺少校验文件"),
    "checksums malformed": (
        lambda p: _append(p / "SHA256SUMS", "not a checksum line\n"),
        "格式不对",
    ),
    "name leaves the package": (
        lambda p: _append(p / "SHA256SUMS", f"{'0' * 64}  ../outside.csv\n"),
        "格式不对",
    ),
    "link": (lambda p: (p / "link.csv").symlink_to("/etc/hostname"), "link.csv 是链接"),
}


@pytest.mark.parametrize("case", TAMPERING)
def test_a_package_that_is_not_the_one_written_is_refused_by_every_reader(
    small_package: Path, tmp_path: Path, case: str, run_cli
) -> None:
    import shutil

    tamper, named = TAMPERING[case]
    package = tmp_path / "package"
    shutil.copytree(small_package, package)
    tamper(package)
    with pytest.raises(SpringrainError) as error:
        reader.read(package)
    assert named in error.value.message_zh and "springrain package" in error.value.message_en
    for step in ("match", "stats"):
        code, output = run_cli(step, "--package", str(package), "--out", str(tmp_path / "o"))
        assert code != 0 and named in output and "Traceback" not in output
    code, output = run_cli("site", "--package", str(package), "--out", str(tmp_path / "site"))
    assert code != 0 and named in output
    assert not (tmp_path / "site" / "data").exists()


def test_the_package_as_written_is_read_with_its_checksums(small_package: Path) -> None:
    package = reader.read(small_package)
    names = {p.relative_to(small_package).as_posix() for p in package.files()}
    assert names == set(package.checksums) | {"SHA256SUMS"}
    assert {"datapackage.json", "projects.csv", "matches.csv"} <= names


def test_match_and_stats_write_to_standard_output_by_default(small_package: Path, run_cli) -> None:
    code, output = run_cli("match", "--package", str(small_package))
    assert code == 0 and output.startswith("project,enterprise,")
    code, output = run_cli("stats", "--package", str(small_package))
    assert code == 0 and '"as_of"' in output
