"""New ids for imported records (``intake.sheets.records.Existing``)."""

from __future__ import annotations

import pytest

from springrain.intake.sheets import records
from springrain.intake.sheets.records import Existing
from springrain.model.kinds import kind as record_kind


def test_new_ids_follow_the_highest_used_one_of_their_prefix() -> None:
    known = Existing(ids={"project": {"GD-2025-0007", "GD-2025-0002", "FJ-2025-0040", "junk"}})
    assert known.new_id("project", province="GD", year=2025) == "GD-2025-0008"
    assert known.new_id("project", province="GD", year=2025) == "GD-2025-0009"
    assert known.new_id("project", province="FJ", year=2025) == "FJ-2025-0041"
    assert known.new_id("project", province="GD", year=2026) == "GD-2026-0001"
    assert {"GD-2025-0008", "GD-2025-0009"} <= known.ids["project"]


def test_a_record_added_after_the_first_new_id_is_not_given_again() -> None:
    known = Existing(ids={"project": {"GD-2025-0001"}})
    assert known.new_id("project", province="GD", year=2025) == "GD-2025-0002"
    known.add("project", {"id": "GD-2025-0010", "project_name": "x", "institution": "y"})
    assert known.new_id("project", province="GD", year=2025) == "GD-2025-0011"


def test_each_used_id_is_parsed_once_however_many_rows_are_imported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 5,000 rows once took 80 s: every new id re-read every used one.
    project = record_kind("project")
    calls = 0

    def counted(record_id: str) -> tuple[tuple[str, ...], int] | None:
        nonlocal calls
        calls += 1
        return type(project).id_number(project, record_id)

    monkeypatch.setattr(records, "record_kind", lambda _kind: _Counting(project, counted))
    used = {f"GD-2025-{n:04d}" for n in range(1, 501)}
    known = Existing(ids={"project": set(used)})
    made = [known.new_id("project", province="GD", year=2025) for _ in range(500)]
    assert made[0] == "GD-2025-0501" and made[-1] == "GD-2025-1000"
    assert calls == len(used)


class _Counting:
    def __init__(self, real: object, id_number: object) -> None:
        self._real, self.id_number = real, id_number

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)
