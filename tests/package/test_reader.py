"""The package reader's tables read as ``csv.DictReader`` reads them, whatever the file."""

from __future__ import annotations

import csv
import shutil
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


@pytest.fixture
def package_copy(small_package: Path, tmp_path: Path) -> Path:
    """A copy of the small package, to change."""
    copy = tmp_path / "package"
    shutil.copytree(small_package, copy)
    return copy


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
    package_copy: Path, tmp_path: Path, case: str, run_cli
) -> None:
    tamper, named = TAMPERING[case]
    package = package_copy
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


def _edit_records(package: Path, name: str, change) -> None:
    import json

    from sitepackage import reseal

    records = json.loads((package / name).read_text(encoding="utf-8"))
    change(records)
    (package / name).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    reseal(package)


def _set(index: int, field: str, value: object):
    return lambda records: records[index].__setitem__(field, value)


# Packages with forged checksums, each with what the record checks refuse in them.
FORGED = {
    "impossible date": ("projects.json", _set(0, "submitted", "2026-02-30")),
    "history not a list": ("projects.json", _set(0, "history", "x")),
    "no status": ("projects.json", lambda records: records[0].pop("status")),
    "capital not a number": ("enterprises.json", _set(0, "registered_capital", "big")),
    "regions null": ("enterprises.json", _set(0, "regions", None)),
    "duplicate id": ("projects.json", lambda records: records.append(dict(records[0]))),
    "contact data": ("projects.json", _set(0, "working_principle", "详询 13812345678")),
}


@pytest.mark.parametrize("case", FORGED)
def test_a_package_with_forged_checksums_is_validated_before_use(
    package_copy: Path, tmp_path: Path, case: str, run_cli
) -> None:
    name, change = FORGED[case]
    package = package_copy
    _edit_records(package, name, change)
    for args in (
        ("match", "--package", str(package)),
        ("stats", "--package", str(package)),
        ("site", "--package", str(package), "--out", str(tmp_path / "site")),
        (
            "export",
            "--project",
            "GD-2025-0001",
            "--package",
            str(package),
            "--out",
            str(tmp_path / "x.xlsx"),
        ),
    ):
        code, output = run_cli(*args)
        assert code == 1 and "未通过校验" in output and "Traceback" not in output, args
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_broken_hand_kept_table_in_a_package_is_refused(package_copy: Path) -> None:
    from sitepackage import reseal

    package = package_copy
    with open(package / "targets.csv", "a", encoding="utf-8") as handle:
        handle.write("abc\r\n")
    reseal(package)
    with pytest.raises(SpringrainError) as error:
        reader.read_records(package)
    assert "未通过校验" in error.value.message_zh and "targets" in error.value.message_zh


def test_a_package_this_process_wrote_from_valid_records_is_not_checked_again(
    demo_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from springrain import pipeline
    from springrain.validate import engine

    pipeline.package(demo_source, tmp_path / "package", demo=True)
    checked: list[Path] = []
    monkeypatch.setattr(engine, "check_package", lambda root, records: checked.append(root) or [])
    reader.read(tmp_path / "package")
    assert checked == []
    # A copy, or the same folder changed since, is another package: checked.
    shutil.copytree(tmp_path / "package", tmp_path / "copy")
    reader.read(tmp_path / "copy")
    assert checked == [tmp_path / "copy"]


def test_a_package_without_the_programmes_table_checks_no_programme(
    package_copy: Path,
) -> None:
    """As in a data directory: without programmes.csv, a programme is not checked."""
    from sitepackage import reseal

    (package_copy / "programmes.csv").unlink()
    reseal(package_copy)
    assert reader.read_records(package_copy).projects
