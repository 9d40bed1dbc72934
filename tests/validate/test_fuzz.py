"""Property-based: no record, however broken, makes the validator raise; the fast compiled
schema check and jsonschema always agree."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from springrain.validate.checks.duplicates import (
    SIMILARITY,
    bigrams,
    normalise_title,
    normalise_titles,
    similar_pairs,
)
from springrain.validate.checks.schema import full_validator, is_valid
from springrain.validate.engine import check_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "records"
BASES = {
    "project": json.loads((FIXTURES / "projects/GD/GD-2025-0001.json").read_text("utf-8")),
    "enterprise": json.loads((FIXTURES / "enterprises/ENT-0001.json").read_text("utf-8")),
    "cooperation": json.loads((FIXTURES / "cooperations/COOP-0001.json").read_text("utf-8")),
}
TODAY = dt.date(2026, 11, 27)

json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            *("", " ", "=1", "13800138000", "2025-02-30", "第三类", "已提交", "\u200b", "\x00"),
            # Pattern ends: ECMA-262's $ does not match before a final line break.
            *("GD-2025-0001\n", "2025-06-13\n", "ENT-0001\n", "a\nb", "1.0\n"),
        ]
    )
)
json_value = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Any]:
    kind = draw(st.sampled_from(sorted(BASES)))
    record = json.loads(json.dumps(BASES[kind]))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        action = draw(st.sampled_from(["drop", "replace", "add", "nest"]))
        keys = list(record)
        if action == "drop" and keys:
            record.pop(draw(st.sampled_from(keys)))
        elif action == "replace" and keys:
            record[draw(st.sampled_from(keys))] = draw(json_value)
        elif action == "add":
            record[draw(st.text(max_size=10))] = draw(json_value)
        elif action == "nest" and isinstance(record.get("history"), list) and record["history"]:
            record["history"][0] = draw(json_value)
    return kind, record


def _path(tmp: Path, kind: str) -> Path:
    folder = {"project": "projects/GD", "enterprise": "enterprises", "cooperation": "cooperations"}[
        kind
    ]
    name = {"project": "GD-2025-0001", "enterprise": "ENT-0001", "cooperation": "COOP-0001"}[kind]
    path = tmp / folder / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mutated())
def test_mutated_records_never_crash_and_validators_agree(
    tmp_path: Path, case: tuple[str, Any]
) -> None:
    kind, record = case
    expected = full_validator(kind).is_valid(record)
    assert is_valid(kind, record) == expected
    path = _path(tmp_path, kind)
    path.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    findings, _ = check_file(path, str(path), kind, TODAY, False)
    assert all(f.message_zh and f.message_en for f in findings)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.binary(max_size=300)
    | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_random_bytes_never_crash(tmp_path: Path, content: bytes) -> None:
    path = _path(tmp_path, "project")
    path.write_bytes(content)
    findings, _ = check_file(path, str(path), "project", TODAY, False)
    assert findings  # random bytes are never a valid record


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(json_value)
def test_random_json_documents_never_crash(tmp_path: Path, value: Any) -> None:
    path = _path(tmp_path, "enterprise")
    path.write_text(json.dumps(value), "utf-8")
    findings, _ = check_file(path, str(path), "enterprise", TODAY, False)
    assert findings


title_char = st.sampled_from(
    [*"ΣσςΑΑΣ \n_-：（）ＡＢｃ①ﬁİK\u212a\u0301\u0308\u3099\uff9e", *"示例可降解支架"]
) | st.characters(codec="utf-8")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(title_char, max_size=12), max_size=8))
def test_titles_normalised_together_as_one_by_one(titles: list[str]) -> None:
    """The duplicate search normalises all titles in one pass; the result is the same."""
    assert normalise_titles(titles) == [normalise_title(t) for t in titles]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text("支架镁合金冠状动脉可降解ab", max_size=10), max_size=12))
def test_similar_pairs_are_exactly_the_similar_ones(titles: list[str]) -> None:
    """Prefix filtering finds every pair a comparison of all pairs finds, and no other."""
    sets = [bigrams(t) for t in titles]
    expected = {
        (i, j)
        for j in range(len(titles))
        for i in range(j)
        if len(sets[i] & sets[j]) / len(sets[i] | sets[j]) >= SIMILARITY
    }
    assert set(similar_pairs(titles)) == expected
