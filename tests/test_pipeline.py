"""The pipeline's graph: what one step hands to the next."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from springrain import pipeline
from springrain.model.records import canonical_bytes

TODAY = dt.date(2026, 11, 27)


def test_the_records_built_from_are_the_bytes_validated(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record file changed once validation has read it (an editor saving during a build)
    changes nothing built: the steps after validation get the records it checked, never a
    second reading of the files."""
    import springrain.validate.engine as engine

    target = sorted((demo_copy / "enterprises").glob("*.json"))[0]
    checked = json.loads(target.read_text("utf-8"))
    check_files = engine.check_files

    def then_edited(*args: Any, **options: Any) -> Any:
        result = check_files(*args, **options)
        changed = dict(checked, name="验证之后才改的名称")
        target.write_bytes(canonical_bytes("enterprise", changed))
        return result

    monkeypatch.setattr(engine, "check_files", then_edited)
    records, report = pipeline.validated(demo_copy, demo=True, today=TODAY)
    assert not report.errors
    [built] = [e for e in records.enterprises if e["id"] == checked["id"]]
    assert built == checked
    assert sum(records.counts().values()) == report.files
