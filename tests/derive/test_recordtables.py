"""Table Schemas are generated from the JSON Schemas; the checked-in copies must not drift."""

from __future__ import annotations

from springrain.derive.recordtables import all_record_tables, iter_table_schemas, record_tables
from springrain.model.kinds import KINDS
from springrain.model.schemas import fields


def test_every_record_field_lands_in_a_table() -> None:
    for kind in KINDS:
        covered = {table.path[0] for table in record_tables(kind) if table.path}
        main = record_tables(kind)[0]
        covered |= {column.path[0] for column in main.columns if column.path}
        assert {f.name for f in fields(kind)} == covered, kind


def test_titles_types_and_enums_come_from_the_schemas() -> None:
    projects = dict(iter_table_schemas())[record_tables("project")[0]]
    by_name = {f["name"]: f for f in projects["fields"]}
    source = {f.name: f for f in fields("project")}
    assert by_name["project_name"]["title"] == source["project_name"].title_zh
    assert by_name["status"]["constraints"]["enum"] == source["status"].schema["enum"]
    assert by_name["submitted"]["type"] == "date"
    assert by_name["id"]["constraints"]["unique"] is True
    assert projects["foreignKeys"][0]["reference"]["resource"] == "programmes"


def test_table_names_are_unique() -> None:
    names = [table.name for table in all_record_tables()]
    assert len(names) == len(set(names))
