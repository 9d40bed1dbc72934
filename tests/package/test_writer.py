"""The data package: standard-valid, complete, lossless, reproducible, safe for Excel."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest
from frictionless import validate as frictionless_validate

from springrain import pipeline
from springrain.demo import generate, write
from springrain.derive import DerivedTable
from springrain.derive.recordtables import record_tables
from springrain.errors import SpringrainError
from springrain.model.kinds import KINDS
from springrain.model.kinds import kind as record_kind
from springrain.model.records import load_records
from springrain.model.recordset import RecordSet
from springrain.package.csvfiles import count_rows, read_csv, typed, write_csv
from springrain.package.provenance import provenance
from springrain.package.writer import DATABASE, WORKBOOK, write_package


def build(data: Path, out: Path) -> dict:
    return pipeline.package(data, out, demo=True).descriptor


def load_sorted(data: Path, kind: str) -> list[dict]:
    return load_records(data, kind)


EPOCH = "1798761600"  # 2027-01-01T00:00:00Z: late enough that some projects are stalled


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
    assert meta["created"] == "2027-01-01T00:00:00Z"
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
        _, rows = read_csv(package / f"{record_kind(kind).table}.csv")
        assert len(rows) == len(records)
        assert [row[0] for row in rows] == [r["id"] for r in records]
    history_rows = read_csv(package / "project_history.csv")[1]
    assert len(history_rows) == sum(len(r["history"]) for r in load_sorted(full_data, "project"))


def test_nested_json_is_the_records_sorted(package: Path, full_data: Path) -> None:
    for kind in KINDS:
        text = (package / f"{record_kind(kind).table}.json").read_text(encoding="utf-8")
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
    """Validation refuses such text; were it to get past, the workbook still keeps it text."""
    records = RecordSet.from_data_dir(demo_copy)
    record = records.projects[0]
    record["project_name"] = '=HYPERLINK("http://example.invalid","点我")'
    record["working_principle"] = "+1 & <b>粗体</b>\n第二行"
    out = tmp_path / "pkg"
    write_package(out, records, [], {}, provenance(demo_copy, records))
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


def test_a_derived_table_is_registered_everywhere(full_data: Path, tmp_path: Path) -> None:
    records = RecordSet.from_data_dir(full_data)
    rows = [
        {"project": p["id"], "enterprise": e["id"], "score": 0.5 + i / 10}
        for i, (p, e) in enumerate(zip(records.projects[:3], records.enterprises[:3], strict=True))
    ]
    table = DerivedTable("extra", MATCH_SCHEMA, "额外表", "Extra", "A table for the test.", rows)
    out = tmp_path / "pkg"
    write_package(out, records, [table], {}, provenance(full_data, records))
    meta = descriptor(out)
    [resource] = [r for r in meta["resources"] if r["name"] == "extra"]
    assert resource["hash"].startswith("sha256:") and resource["bytes"] > 0
    assert "extra" in openpyxl.load_workbook(out / WORKBOOK, read_only=True).sheetnames
    with sqlite3.connect(out / DATABASE) as db:
        assert db.execute("SELECT COUNT(*) FROM extra").fetchone()[0] == 3
    assert "extra.csv" in (out / "SHA256SUMS").read_text(encoding="utf-8")
    assert "extra" not in meta["x-springrain-core"]
    report = frictionless_validate(str(out / "datapackage.json"))
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:3]


@pytest.mark.parametrize("name", ["projects", "Bad-Name", "datapackage", "programmes"])
def test_a_derived_table_may_not_take_a_taken_or_bad_name(
    name: str, full_data: Path, tmp_path: Path
) -> None:
    records = RecordSet.from_data_dir(full_data)
    table = DerivedTable(name, MATCH_SCHEMA, "x", "x", "x", [])
    with pytest.raises(SpringrainError):
        write_package(tmp_path / "pkg", records, [table], {}, provenance(full_data, records))


@pytest.mark.parametrize(
    "name",
    [
        "springrain.sqlite",
        "springrain.xlsx",
        "projects.csv",
        "projects.json",
        "SHA256SUMS",
        "datapackage.json",
        "schemas",
        ".hidden",
        "sub/stats.json",
    ],
)
def test_an_extra_file_may_not_take_a_package_file_name(
    name: str, full_data: Path, tmp_path: Path
) -> None:
    """Files the package writes later (the database, the workbook written beside the rest)
    are as taken as those already written: an extra file never replaces one."""
    records = RecordSet.from_data_dir(full_data)
    with pytest.raises(SpringrainError, match="not allowed"):
        write_package(tmp_path / "pkg", records, [], {name: b"{}"}, provenance(full_data, records))


def test_withdrawn_projects_stay_with_their_final_status(package: Path, full_data: Path) -> None:
    final = {r["id"]: r["status"] for r in load_sorted(full_data, "project")}
    assert {"撤回", "清退"} & set(final.values())
    header, rows = read_csv(package / "projects.csv")
    status = header.index("status")
    assert {row[0]: row[status] for row in rows} == final


def test_cli_package(run_cli, demo_source: Path, tmp_path: Path) -> None:
    code, output = run_cli(
        "package", "--data", str(demo_source), "--out", str(tmp_path / "o"), "--demo"
    )
    assert code == 0, output
    assert (tmp_path / "o" / "datapackage.json").exists()
    code, output = run_cli(
        "package", "--data", str(tmp_path / "missing"), "--out", str(tmp_path / "o2")
    )
    assert code == 1 and "Error" in output


def test_link_tables_keep_list_order(package: Path, full_data: Path) -> None:
    header, rows = read_csv(package / "project_history.csv")
    by_project: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_project[row[0]].append(row[header.index("date")])
    for record in load_sorted(full_data, "project"):
        assert by_project[record["id"]] == [e["date"] for e in record["history"]]


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


def test_the_package_holds_matches_and_statistics_written_once(package: Path) -> None:
    meta = descriptor(package)
    names = [r["name"] for r in meta["resources"]]
    assert "matches" in names and "stats_funnel" in names
    assert (package / "stats.json").is_file()
    sums = (package / "SHA256SUMS").read_text(encoding="utf-8")
    assert "stats.json" in sums and "matches.csv" in sums


def test_counting_rows_sees_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_csv(path, ["a", "b"], [["x", "第一行\n第二行"], ["y", ""]])
    assert count_rows(path) == 2 == len(read_csv(path)[1])
