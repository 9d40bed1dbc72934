"""The data package: standard-valid, complete, lossless, reproducible, safe for Excel."""

from __future__ import annotations

import csv
import hashlib
import shutil
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest
from frictionless import validate as frictionless_validate

from springrain.demo import generate, write
from springrain.derive.recordtables import MAIN_TABLES, record_tables
from springrain.errors import SpringrainError
from springrain.model.records import record_path, write_record
from springrain.model.schemas import KINDS
from springrain.package.writer import (
    DATABASE,
    WORKBOOK,
    add_csv_resource,
    add_resource,
    build,
    count_rows,
    load_sorted,
    read_csv,
    typed,
    write_csv,
    write_records,
)

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


@pytest.fixture(scope="module")
def full_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo dataset large enough that every table has rows."""
    out = tmp_path_factory.mktemp("full") / "data"
    write(generate(projects=400, enterprises=60, cooperations=60, seed=11), out)
    return out


@pytest.fixture(scope="module")
def package(full_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("package") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(full_data, out)
    return out


def descriptor(package_dir: Path) -> dict[str, Any]:
    return orjson.loads((package_dir / "datapackage.json").read_bytes())


def test_frictionless_validates_the_package_with_every_table_populated(package: Path) -> None:
    meta = descriptor(package)
    empty = [r["name"] for r in meta["resources"] if not read_csv(package / r["path"])[1]]
    assert empty == []
    report = frictionless_validate(str(package / "datapackage.json"))
    errors = [(t.name, e.type, e.message) for t in report.tasks for e in t.errors]
    assert report.valid, errors[:5]


def test_descriptor_metadata(package: Path) -> None:
    meta = descriptor(package)
    assert meta["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert meta["name"] == "springrain"
    assert meta["licenses"][0]["name"] == "CC-BY-4.0"
    assert meta["created"] == "2026-01-01T00:00:00Z"
    assert meta["sources"] and all(s["title"] for s in meta["sources"])
    for resource in meta["resources"]:
        path = package / resource["path"]
        assert resource["encoding"] == "utf-8"
        assert resource["bytes"] == path.stat().st_size
        assert resource["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert raw.endswith(b"\r\n")
    expected = {"projects", "project_history", "project_ip", "enterprises", "cooperations"}
    assert expected <= {r["name"] for r in meta["resources"]}
    assert {"programmes", "targets", "reported_figures"} <= {r["name"] for r in meta["resources"]}


def test_row_counts_equal_record_counts(package: Path, full_data: Path) -> None:
    for kind in KINDS:
        records = load_sorted(full_data, kind)
        _, rows = read_csv(package / f"{MAIN_TABLES[kind]}.csv")
        assert len(rows) == len(records)
        assert [row[0] for row in rows] == [r["id"] for r in records]
    history_rows = read_csv(package / "project_history.csv")[1]
    assert len(history_rows) == sum(len(r["history"]) for r in load_sorted(full_data, "project"))


def test_nested_json_is_the_records_sorted(package: Path, full_data: Path) -> None:
    for kind in KINDS:
        text = (package / f"{MAIN_TABLES[kind]}.json").read_text(encoding="utf-8")
        assert "\\u" not in text  # Chinese unescaped
        assert orjson.loads(text) == load_sorted(full_data, kind)


def _set(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        record = record.setdefault(part, {})
    record[path[-1]] = value


def rebuild_records(package_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Every record, rebuilt from the CSV tables alone (using only the table layout)."""
    schemas = {r["name"]: r["schema"] for r in descriptor(package_dir)["resources"]}
    result = {}
    for kind in KINDS:
        records: dict[str, dict[str, Any]] = {}
        for table in record_tables(kind):
            header, rows = read_csv(package_dir / f"{table.name}.csv")
            types = {f["name"]: f["type"] for f in schemas[table.name]["fields"]}
            for raw in rows:
                row = {
                    name: typed(value, types[name]) for name, value in zip(header, raw, strict=True)
                }
                if table.parent is None:
                    record: dict[str, Any] = {}
                    for column in table.columns:
                        if row[column.name] is not None:
                            _set(record, column.path, row[column.name])
                    records[record["id"]] = record
                    continue
                keys = [c.name for c in table.columns if c.role == "key"]
                node: Any = records[row[keys[0]]]
                # Walk down through enclosing lists by their sequence numbers.
                for part, key in zip(table.path[:-1], keys[1:], strict=True):
                    node = node[part][row[key] - 1]
                last = table.path[-1]
                if table.scoped:
                    node.setdefault(last, {}).setdefault(row["scope"], []).append(
                        row[table.columns[-1].name]
                    )
                    continue
                items = node.setdefault(last, [])
                assert row["seq"] == len(items) + 1
                value_columns = [c for c in table.columns if c.role == "value"]
                if value_columns:
                    items.append(row[value_columns[0].name])
                else:
                    items.append(
                        {
                            c.name: row[c.name]
                            for c in table.columns
                            if c.role == "field" and row[c.name] is not None
                        }
                    )
        result[kind] = [records[key] for key in sorted(records)]
    return result


def test_round_trip_restores_every_record(package: Path, full_data: Path) -> None:
    rebuilt = rebuild_records(package)
    for kind in KINDS:
        sources = load_sorted(full_data, kind)
        assert len(rebuilt[kind]) == len(sources)
        for restored, source in zip(rebuilt[kind], sources, strict=True):
            for name in set(source) | set(restored):
                assert restored.get(name) == source.get(name), (kind, source["id"], name)


def test_two_builds_are_byte_identical(package: Path, full_data: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(full_data, again)
    files = sorted(p.relative_to(package) for p in package.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for name in files:
        assert (package / name).read_bytes() == (again / name).read_bytes(), name


def test_sha256sums_cover_every_file(package: Path) -> None:
    listed = {}
    for line in (package / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    assert set(listed) == files - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((package / name).read_bytes()).hexdigest() == digest
    assert "schemas/project.schema.json" in listed
    assert {"releases.json", "CHANGELOG.md", WORKBOOK, DATABASE} <= set(listed)


def test_workbook_has_a_sheet_per_table_with_chinese_headers(package: Path) -> None:
    meta = descriptor(package)
    book = openpyxl.load_workbook(package / WORKBOOK, read_only=False)
    assert book.sheetnames == ["说明", *(r["name"] for r in meta["resources"])]
    sheet = book["projects"]
    assert sheet.freeze_panes == "A2"
    titles = [f["title"] for f in meta["resources"][0]["schema"]["fields"]]
    assert [c.value for c in sheet[1]] == titles
    assert sheet.max_row == len(read_csv(package / "projects.csv")[1]) + 1


def test_formula_like_text_stays_text(demo_copy: Path, tmp_path: Path) -> None:
    record = load_sorted(demo_copy, "project")[0]
    record["project_name"] = '=HYPERLINK("http://example.invalid","点我")'
    record["working_principle"] = "+1 & <b>粗体</b>\n第二行"
    write_record(record_path(demo_copy, "project", record), "project", record)
    out = tmp_path / "pkg"
    build(demo_copy, out)
    sheet = openpyxl.load_workbook(out / WORKBOOK)["projects"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == record["id"])
    name = row[header.index("项目名称")]
    assert name.data_type == "s" and name.value == record["project_name"]
    assert row[header.index("工作原理/作用机理")].value == record["working_principle"]


def test_sqlite_has_the_tables_keys_and_rows(package: Path) -> None:
    meta = descriptor(package)
    with sqlite3.connect(package / DATABASE) as db:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert names == {r["name"] for r in meta["resources"]}
        for resource in meta["resources"]:
            count = db.execute(f'SELECT COUNT(*) FROM "{resource["name"]}"').fetchone()[0]
            assert count == len(read_csv(package / resource["path"])[1])
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        keys = [r[1] for r in db.execute("PRAGMA table_info(project_history)") if r[5]]
        assert keys == ["project", "seq"]
        indexes = db.execute("SELECT name FROM sqlite_master WHERE type='index'").fetchall()
        assert any(name == "project_history_fk1" for (name,) in indexes)
        assert db.execute("SELECT typeof(registered_capital) FROM enterprises").fetchone()[0] in (
            "real",
            "integer",
            "null",
        )


MATCH_SCHEMA = {
    "fields": [
        {
            "name": "project",
            "type": "string",
            "title": "项目编号",
            "constraints": {"required": True},
        },
        {"name": "enterprise", "type": "string", "title": "企业编号"},
        {"name": "score", "type": "number", "title": "匹配分"},
    ],
    "primaryKey": ["project", "enterprise"],
    "foreignKeys": [
        {"fields": ["project"], "reference": {"resource": "projects", "fields": ["id"]}},
        {"fields": ["enterprise"], "reference": {"resource": "enterprises", "fields": ["id"]}},
    ],
    "missingValues": [""],
}


def test_add_resource_registers_everywhere(package: Path, tmp_path: Path) -> None:
    copy = tmp_path / "pkg"
    shutil.copytree(package, copy)
    projects = read_csv(copy / "projects.csv")[1]
    enterprises = read_csv(copy / "enterprises.csv")[1]
    rows = [
        {"project": projects[i][0], "enterprise": enterprises[i][0], "score": 0.5 + i / 10}
        for i in range(3)
    ]
    resource = add_resource(copy, "matches", rows, MATCH_SCHEMA, "匹配结果", "Matches")
    assert resource["hash"].startswith("sha256:") and resource["bytes"] > 0
    meta = descriptor(copy)
    assert meta["resources"][-1]["name"] == "matches"
    assert "matches" in openpyxl.load_workbook(copy / WORKBOOK, read_only=True).sheetnames
    with sqlite3.connect(copy / DATABASE) as db:
        assert db.execute("SELECT COUNT(*) FROM matches").fetchone()[0] == 3
    assert "matches.csv" in (copy / "SHA256SUMS").read_text(encoding="utf-8")
    report = frictionless_validate(str(copy / "datapackage.json"))
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:3]

    # The same table from a CSV file replaces it; the result does not depend on the route.
    source = tmp_path / "m.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["project", "enterprise", "score"])
        writer.writerows([[r["project"], r["enterprise"], repr(r["score"])] for r in rows])
    before = (copy / "datapackage.json").read_bytes()
    add_csv_resource(copy, "matches", source, MATCH_SCHEMA, "匹配结果", "Matches")
    assert (copy / "datapackage.json").read_bytes() == before
    assert [r["name"] for r in descriptor(copy)["resources"]].count("matches") == 1


def test_add_resource_refuses_core_tables_and_bad_names(package: Path, tmp_path: Path) -> None:
    from springrain.errors import SpringrainError

    copy = tmp_path / "pkg"
    shutil.copytree(package, copy)
    with pytest.raises(SpringrainError):
        add_resource(copy, "projects", [], MATCH_SCHEMA, "x")
    with pytest.raises(SpringrainError):
        add_resource(copy, "Bad-Name", [], MATCH_SCHEMA, "x")


def test_withdrawn_projects_stay_with_their_final_status(package: Path, full_data: Path) -> None:
    final = {r["id"]: r["status"] for r in load_sorted(full_data, "project")}
    assert {"撤回", "清退"} & set(final.values())
    header, rows = read_csv(package / "projects.csv")
    status = header.index("status")
    assert {row[0]: row[status] for row in rows} == final


def test_cli_package(run_cli, demo_source: Path, tmp_path: Path) -> None:
    code, output = run_cli("package", "--data", str(demo_source), "--out", str(tmp_path / "o"))
    assert code == 0, output
    assert (tmp_path / "o" / "datapackage.json").exists()
    code, output = run_cli("package", "--data", str(tmp_path / "missing"), "--out", str(tmp_path))
    assert code == 1 and "Error" in output


def test_link_tables_keep_list_order(package: Path, full_data: Path) -> None:
    header, rows = read_csv(package / "project_history.csv")
    by_project: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_project[row[0]].append(row[header.index("date")])
    for record in load_sorted(full_data, "project"):
        assert by_project[record["id"]] == [e["date"] for e in record["history"]]


def test_deferred_workbook_then_finish_equals_building_it_each_time(
    package: Path, full_data: Path, tmp_path: Path
) -> None:
    """make build defers the workbook and database until matching and statistics have added
    their tables; the result must not depend on that route."""
    from springrain.package.writer import finish

    projects = read_csv(package / "projects.csv")[1]
    enterprises = read_csv(package / "enterprises.csv")[1]
    rows = [{"project": projects[0][0], "enterprise": enterprises[0][0], "score": 0.5}]
    eager, deferred = tmp_path / "eager", tmp_path / "deferred"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(full_data, eager)
        add_resource(eager, "matches", rows, MATCH_SCHEMA, "匹配结果", "Matches")
        build(full_data, deferred, derived=False)
        assert not (deferred / WORKBOOK).exists() and not (deferred / DATABASE).exists()
        add_resource(deferred, "matches", rows, MATCH_SCHEMA, "匹配结果", "Matches")
        assert not (deferred / WORKBOOK).exists()
        finish(deferred)
    files = sorted(p.relative_to(eager) for p in eager.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(deferred) for p in deferred.rglob("*") if p.is_file())
    for name in files:
        assert (eager / name).read_bytes() == (deferred / name).read_bytes(), name


def test_workbook_writer_escapes_text_and_refuses_control_characters(tmp_path: Path) -> None:
    import datetime as dt

    from springrain.errors import SpringrainError
    from springrain.package.xlsx import write_workbook

    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    header = ["文本", "公式样", "整数", "小数", "是否", "缺失", "空"]
    rows = [
        ["a & <b>", "=SUM(A1:A2)", 3, 2.5, True, None, ""],
        ["第一行\r\n第二行\t制表", "@x", 0, -1e-7, False, None, ""],
    ]
    path = tmp_path / "book.xlsx"
    write_workbook(path, [("t", header, rows)], title="<题> & 名", timestamp=stamp)
    sheet = openpyxl.load_workbook(path)["t"]
    assert [c.value for c in sheet[1]] == header
    first, second = ([c for c in r] for r in sheet.iter_rows(min_row=2))
    assert [c.value for c in first[:5]] == ["a & <b>", "=SUM(A1:A2)", 3, 2.5, True]
    assert first[1].data_type == "s" and first[5].value is None and first[6].value is None
    assert [c.value for c in second[:5]] == ["第一行\r\n第二行\t制表", "@x", 0, -1e-7, False]
    for bad in ("\x07", "\x00", "\ufffe"):
        with pytest.raises(SpringrainError) as caught:
            write_workbook(
                path, [("t", header, [["ok", f"坏{bad}字"]])], title="x", timestamp=stamp
            )
        assert f"U+{ord(bad):04X}" in caught.value.message_zh
        assert f"U+{ord(bad):04X}" in caught.value.message_en


def test_workbook_writer_streams_pieces_in_order_and_refuses_late(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sheets go to the compressor in pieces; the bytes must not depend on the piece size,
    and text refused after some pieces are out still raises the SpringrainError."""
    import datetime as dt

    from springrain.errors import SpringrainError
    from springrain.package import xlsx as package_xlsx

    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    rows = [[f"第{i}行 & <{i}>", i, i / 4, i % 2 == 0, None] for i in range(50)]
    sheets = [("a", ["文本", "整数", "小数", "是否", "空"], rows), ("b", ["x"], [["y"]])]
    whole, pieces = tmp_path / "whole.xlsx", tmp_path / "pieces.xlsx"
    package_xlsx.write_workbook(whole, sheets, title="t", timestamp=stamp)
    monkeypatch.setattr(package_xlsx, "CHUNK_ROWS", 3)
    package_xlsx.write_workbook(pieces, sheets, title="t", timestamp=stamp)
    assert whole.read_bytes() == pieces.read_bytes()
    sheet = openpyxl.load_workbook(pieces)["a"]
    assert [c.value for c in sheet[51]] == ["第49行 & <49>", 49, 12.25, False, None]
    late = [*rows, ["坏\x0b字", 1, 1.0, True, None]]
    with pytest.raises(SpringrainError, match="U\\+000B"):
        package_xlsx.write_workbook(
            tmp_path / "late.xlsx", [("a", ["x"] * 5, late)], title="t", timestamp=stamp
        )


def test_records_first_then_the_rest_equals_one_build(
    package: Path, full_data: Path, tmp_path: Path
) -> None:
    """make build writes the record files first (the search index starts on them) and the
    rest of the package beside it; the package is byte for byte the one of a single build."""
    split = tmp_path / "split"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        counts = write_records(full_data, split)
        assert (split / "projects.json").is_file() and not (split / "projects.csv").exists()
        assert counts["project"] == len(load_sorted(full_data, "project"))
        build(full_data, split, records_written=True)
    files = sorted(p.relative_to(package) for p in package.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(split) for p in split.rglob("*") if p.is_file())
    for name in files:
        assert (package / name).read_bytes() == (split / name).read_bytes(), name


def test_the_rest_without_records_first_says_what_to_run(full_data: Path, tmp_path: Path) -> None:
    with pytest.raises(SpringrainError, match="--records-only"):
        build(full_data, tmp_path / "empty", records_written=True)


def test_counting_rows_sees_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_csv(path, ["a", "b"], [["x", "第一行\n第二行"], ["y", ""]])
    assert count_rows(path) == 2 == len(read_csv(path)[1])
