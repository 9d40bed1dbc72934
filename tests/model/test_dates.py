"""springrain.model.dates: the date fields of each kind, read from the schemas."""

from __future__ import annotations

from springrain.model.dates import date_paths, record_dates


def test_the_date_fields_are_found_wherever_they_sit() -> None:
    paths = date_paths("project")
    assert ("submitted",) in paths and ("history", "*", "date") in paths
    assert ("project_name",) not in paths


def test_a_record_s_dates_are_its_date_fields_only() -> None:
    record = {
        "submitted": "2026-03-01",
        "department": "2099-12-31",
        "history": [{"date": "2026-04-01", "note": "2099-01-01"}, "not an event", {"date": 7}],
    }
    assert sorted(record_dates("project", record)) == ["2026-03-01", "2026-04-01"]


def test_a_real_date_is_written_as_the_schemas_write_one() -> None:
    from springrain.model.dates import is_real_date

    assert is_real_date("2026-02-28")
    for text in [
        "2026-02-30",
        "2026-1-1",
        "2026-W01-1",
        "20260101",
        "٢٠٢٦-٠١-٠١",
        "",
        "2026-01-01 ",
    ]:
        assert not is_real_date(text), text
