"""The hand-written schemas: valid draft 2020-12, titled in Chinese, vocabularies resolved."""

from __future__ import annotations

import csv

import pytest
from jsonschema import Draft202012Validator

from springrain.paths import VOCAB_DIR
from springrain.schemas import (
    KINDS,
    field_label,
    fields,
    raw_schema,
    record_schema,
    transitions,
    vocabulary,
)


@pytest.mark.parametrize("kind", KINDS)
def test_schema_passes_the_meta_schema(kind: str) -> None:
    Draft202012Validator.check_schema(raw_schema(kind))
    Draft202012Validator.check_schema(record_schema(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_has_chinese_title_english_name_and_description(kind: str) -> None:
    def walk(node_fields):
        for field in node_fields:
            assert field.title_zh != field.name and any(
                "\u4e00" <= c <= "\u9fff" for c in field.title_zh
            ), field.name
            assert field.title_en != field.name or field.name.isascii()
            assert field.description, field.name
            assert field.name == field.name.lower() and " " not in field.name
            items = field.schema.get("items")
            if isinstance(items, dict) and "properties" in items:
                walk(fields(kind, items))
            if "properties" in field.schema:
                walk(fields(kind, field.schema))

    walk(fields(kind))


def test_vocabularies_have_zh_en_and_source() -> None:
    for path in sorted(VOCAB_DIR.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows, path.name
        if path.name != "transitions.csv":
            assert {"code", "zh", "en", "source"} <= set(rows[0]), path.name
            assert all(row["code"] and row["zh"] and row["en"] and row["source"] for row in rows), (
                path.name
            )
            assert len({row["code"] for row in rows}) == len(rows), path.name


def test_transitions_name_known_statuses_and_terminals_are_final() -> None:
    statuses = {row["code"]: row for row in vocabulary("statuses")}
    for source, target in transitions():
        assert source in statuses and target in statuses
        assert statuses[source]["terminal"] == "false"


def test_field_label_for_nested_pointer() -> None:
    assert field_label("project", "/history/1/date") == (
        "状态历程 › 第2项 › 日期",
        "Status history › item 2 › Date",
    )
    assert field_label("project", "/nonsense") == ("nonsense", "nonsense")


def test_contact_fields_of_the_forms_are_not_in_the_public_schema() -> None:
    names = {f.name for kind in KINDS for f in fields(kind)}
    assert not names & {"phone", "email", "mobile", "contact_phone", "contact_person", "id_number"}


def test_hand_kept_tables_are_exactly_the_hand_written_table_schemas() -> None:
    from springrain.paths import TABLES_DIR
    from springrain.schemas import HAND_KEPT_TABLES

    written = {p.name.removesuffix(".table.json") for p in TABLES_DIR.glob("*.table.json")}
    assert set(HAND_KEPT_TABLES) == written
