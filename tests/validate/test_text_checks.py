"""The text rules: the check over all of a record's strings at once never passes what the
check of each string refuses (the pre-screen is generated from the same definitions)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from springrain.validate.checks.registry import TextContext
from springrain.validate.checks.text import TextHygiene, check_string

LABEL = lambda pointer: (pointer, pointer)  # noqa: E731
# Characters each rule is about, and ordinary text around them.
interesting = st.sampled_from(
    [*"=+@- \t\n\r\x00\x01\x1b\x1f\x7f\x85\xa0\u2028\u3000\u200b\u202e\u2066\ufeff", "a", "中", "1"]
)
strings = st.lists(st.text(interesting | st.characters(codec="utf-8"), max_size=8), max_size=6)


@settings(max_examples=600, deadline=None)
@given(strings)
def test_the_check_of_all_strings_equals_the_check_of_each(texts: list[str]) -> None:
    pairs = [(f"/{i}", text) for i, text in enumerate(texts)]
    expected = [f for pointer, text in pairs for f in check_string("f", pointer, text, LABEL)]
    assert TextHygiene().check(TextContext("f", pairs, LABEL)) == expected


def test_each_rule_fires() -> None:
    def rules(text: str) -> set[str]:
        return {f.rule for f in TextHygiene().check(TextContext("f", [("/a", text)], LABEL))}

    assert rules("a\x01b") == {"text.control"}
    assert rules("a\u202eb") == {"text.zero_width"}
    assert rules(" a") == {"text.whitespace"}
    assert rules("=SUM(A1)") == {"text.formula"}
    assert rules("第一行\n- 列表项") == set()
