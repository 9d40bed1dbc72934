"""The record kinds, their ids and status roles, read from the schemas and vocabularies."""

from __future__ import annotations

import csv
import json
import re

import pytest

from springrain.config import SCHEMAS_DIR, VOCAB_DIR
from springrain.model import statuses
from springrain.model.kinds import kind, kind_of_id, record_kinds, schema_version
from springrain.model.schemas import fields, fields_set_by


def test_kinds_come_from_the_schemas_in_order() -> None:
    kinds = record_kinds()
    assert list(kinds) == ["project", "enterprise", "cooperation"]
    assert [k.folder for k in kinds.values()] == ["projects", "enterprises", "cooperations"]
    assert kind("project").package_file == "projects.json"
    assert kind("project").filed_by == "province" and kind("enterprise").filed_by is None


@pytest.mark.parametrize(
    ("name", "fields_", "expected"),
    [
        ("project", {"province": "GD", "year": "2026"}, "GD-2026-0007"),
        ("enterprise", {}, "ENT-0007"),
        ("cooperation", {}, "COOP-0007"),
    ],
)
def test_ids_made_from_the_template_match_the_schema_pattern(
    name: str, fields_: dict, expected: str
) -> None:
    record_kind = kind(name)
    made = record_kind.make_id(7, **fields_)
    assert made == expected
    assert record_kind.id_is_valid(made)
    assert kind_of_id(made) is record_kind
    assert record_kind.id_number(made) == (tuple(fields_.values()), 7)


@pytest.mark.parametrize(
    "bad",
    ["GD-2026-00001", "GD-2026-1", "ENT-1", "ENT-0001\n", "gd-2026-0001", "GD-2026-0001.json", 7],
)
def test_ids_outside_the_pattern_are_refused(bad: object) -> None:
    assert kind_of_id(str(bad)) is None or not any(
        k.id_is_valid(bad) for k in record_kinds().values()
    )


def test_ids_are_bounded_so_they_stay_strings_of_known_length() -> None:
    for record_kind in record_kinds().values():
        assert not record_kind.id_is_valid(record_kind.make_id(10**12, province="GD", year="2026"))


def test_schema_version_is_the_one_the_schema_states() -> None:
    defs = json.loads((SCHEMAS_DIR / "defs.schema.json").read_text("utf-8"))
    assert schema_version() == defs["$defs"]["schema_version"]["x-current"]
    assert re.fullmatch(defs["$defs"]["schema_version"]["pattern"].strip("^$"), schema_version())


def test_status_roles_are_columns_of_the_vocabularies() -> None:
    assert statuses.initial("project") == "已提交"
    assert statuses.initial("cooperation") == "意向"
    assert statuses.initial("enterprise") is None
    assert statuses.with_role("open_to_partners") == ("初核通过", "入库", "对接中")
    assert set(statuses.with_role("withdrawn")) == {"撤回", "清退"}
    assert statuses.the("finalised") == "产品定型"
    with open(VOCAB_DIR / "statuses.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert set(statuses.ROLES) <= set(header)


def test_every_status_role_value_is_true_or_false() -> None:
    for vocab in statuses.VOCABULARY.values():
        with open(VOCAB_DIR / f"{vocab}.csv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for role in statuses.ROLES:
                    assert row.get(role, "false") in ("true", "false"), (vocab, row["code"], role)


@pytest.mark.parametrize("name", list(record_kinds()))
def test_who_sets_each_field_is_one_of_the_known_roles(name: str) -> None:
    for field in fields(name):
        assert field.set_by in ("submitter", "submission", "system", "maintainer"), field.name
    # A record's identity and history are never the submitter's to edit.
    assert "id" in fields_set_by(name, "system")
    assert not fields_set_by(name, "submitter") & {"id", "submitted_by", "status", "history"}


def test_maintainer_only_fields_are_off_the_forms() -> None:
    for name in record_kinds():
        for field in fields(name):
            if field.maintainer_only or field.set_by == "system":
                assert not field.on_form, field.name
    assert {f.name for f in fields("project") if f.maintainer_only} == {
        "regulatory_channels",
        "cmde_reported",
    }
