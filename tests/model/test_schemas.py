"""The hand-written schemas: valid draft 2020-12, titled in Chinese, vocabularies resolved."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from springrain.config import VOCAB_DIR
from springrain.model.kinds import KINDS
from springrain.model.kinds import kind as record_kind
from springrain.model.schemas import (
    field_label,
    fields,
    python_pattern,
    raw_schema,
    record_schema,
    vocabulary,
    vocabulary_codes,
)
from springrain.model.statuses import transitions
from springrain.validate.checks.schema import full_validator, is_valid

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "records"


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


@pytest.mark.parametrize("key", ["²", "①", "١"])
def test_a_key_that_is_a_digit_only_to_isdigit_is_no_item_number(key: str) -> None:
    """A hostile record may hold an object where a list belongs, with any keys: a key such
    as ² is shown as written, never read as an item's number (int() cannot read it)."""
    assert field_label("project", f"/history/{key}/note")[0] == f"状态历程 › {key} › note"


def test_contact_fields_of_the_forms_are_not_in_the_public_schema() -> None:
    names = {f.name for kind in KINDS for f in fields(kind)}
    assert not names & {"phone", "email", "mobile", "contact_phone", "contact_person", "id_number"}


def test_hand_kept_tables_are_exactly_the_hand_written_table_schemas() -> None:
    from springrain.config import TABLES_DIR
    from springrain.model import tables

    written = {p.name.removesuffix(".table.json") for p in TABLES_DIR.glob("*.table.json")}
    assert set(tables.names()) == written
    assert tables.names()[0] == "programmes"  # the others refer to it


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("^ENT-[0-9]{4,}$", r"^ENT-[0-9]{4,}\Z"),
        (r"^[^\r\n\t]*$", r"^[^\r\n\t]*\Z"),
        ("^[$]$", r"^[$]\Z"),
        (r"^\$$", r"^\$\Z"),
        ("^a(?:b|$)", r"^a(?:b|\Z)"),
    ],
)
def test_python_pattern_reads_dollar_as_the_very_end(pattern: str, expected: str) -> None:
    assert python_pattern(pattern) == expected
    assert re.search(python_pattern(pattern), "ENT-0001\n") is None


@pytest.mark.parametrize("kind", ["project", "enterprise", "cooperation"])
def test_fast_and_explaining_validators_agree_on_a_final_line_break(kind: str) -> None:
    record = json.loads(
        next((FIXTURES / record_kind(kind).folder).rglob("*.json")).read_text("utf-8")
    )
    assert is_valid(kind, record) and full_validator(kind).is_valid(record)
    record["id"] += "\n"
    assert not is_valid(kind, record)
    assert not full_validator(kind).is_valid(record)


@pytest.mark.parametrize("kind", KINDS)
def test_every_list_has_a_bound_and_every_object_a_closed_set_of_fields(kind: str) -> None:
    """A record can only be so big: maxItems on every list, maxLength on every text,
    additionalProperties false on every object."""

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "array":
                assert "maxItems" in node, path
            if node.get("type") == "object":
                assert node.get("additionalProperties") is False, path
            if node.get("type") == "string" and "enum" not in node and "pattern" not in node:
                assert "maxLength" in node, path
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}/{index}")

    walk(record_schema(kind), kind)


@pytest.mark.parametrize("kind", ["project", "enterprise", "cooperation"])
def test_a_list_of_distinct_codes_may_hold_every_code_of_its_vocabulary(kind: str) -> None:
    """Its bound is the vocabulary's size, read from the vocabulary: ticking every choice is
    allowed, today and after a row is added."""
    bounded = [f for f in fields(kind) if f.is_list and f.vocab and f.schema.get("uniqueItems")]
    assert bounded
    for f in bounded:
        assert f.schema["maxItems"] == len(vocabulary_codes(f.vocab)), f.name
        assert "maxItems" not in raw_schema(kind)["properties"][f.name], f.name


def test_what_codes_mean_to_the_pipeline_is_read_from_their_vocabularies() -> None:
    """The phases of the stages, the classes' levels, the innovation channels, the research
    levels of 专精特新 and the class reported to CMDE are columns of the vocabularies; the
    steps that use them read those columns, and every code has a value."""
    from springrain.derive.matching.criteria import device_class, stage
    from springrain.derive.stats import compute
    from springrain.model.schemas import codes_where, vocabulary_column
    from springrain.validate.checks import fields as field_rules

    for name, column, values in (
        ("stages", "phase", {"early", "late", "other"}),
        ("classes", "needs_level", {"1", "2", "3"}),
        ("classes", "determined", {"true", "false"}),
        ("classes", "reported_to_cmde", {"true", "false"}),
        ("device_classes", "level", {"1", "2", "3"}),
        ("specialised_levels", "research", {"true", "false"}),
        ("channels", "innovation", {"true", "false"}),
    ):
        assert set(vocabulary_column(name, column).values()) <= values, (name, column)
    assert codes_where("stages", "phase", "early") == stage.EARLY_STAGES
    assert codes_where("stages", "phase", "late") == stage.LATE_STAGES
    assert codes_where("specialised_levels", "research") == stage.RD_LEVELS
    assert set(device_class.NEEDED_LEVEL) == set(vocabulary_column("classes", "needs_level"))
    assert set(device_class.CLASS_LEVEL) == set(vocabulary_column("device_classes", "level"))
    assert codes_where("channels", "innovation") == compute.INNOVATION_CHANNELS
    assert field_rules.CLASS_III in codes_where("classes", "reported_to_cmde")
    assert field_rules.OTHER_STAGE in codes_where("stages", "phase", "other")
