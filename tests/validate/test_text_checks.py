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
    [
        *"=+@- \t\n\r\x00\x01\x1b\x1f\x7f\x85\xa0\u2028\u3000\u200b\u202e\u2066\ufeff",
        *"\u061c\u3164\u115f\U000e0041\U000e007f\U000e0080\ufe0f\U000e0100",
        *"\uffff\ufffe\ufdd0\ufffd\U0010ffff\U0001fffd",
        *"\U0001ccf0\U0001fae8\U00031350\U0002ebf0\U0001f600\U000f0000\U00050000",
        "a",
        "中",
        "1",
    ]
)
strings = st.lists(st.text(interesting | st.characters(codec="utf-8"), max_size=8), max_size=6)


@settings(max_examples=600, deadline=None)
@given(strings)
def test_the_check_of_all_strings_equals_the_check_of_each(texts: list[str]) -> None:
    pairs = [(f"/{i}", text) for i, text in enumerate(texts)]
    expected = [f for pointer, text in pairs for f in check_string("f", pointer, text, LABEL)]
    assert TextHygiene().check(TextContext("f", LABEL, given=pairs)) == expected


def test_each_rule_fires() -> None:
    def rules(text: str) -> set[str]:
        return {f.rule for f in TextHygiene().check(TextContext("f", LABEL, given=[("/a", text)]))}

    assert rules("a\x01b") == {"text.control"}
    assert rules("a\u202eb") == {"text.zero_width"}
    # Invisible too: the Arabic letter mark, tag characters (invisible ASCII), a Hangul
    # filler, the line separator. Variation selectors are not: a CJK ideograph's variant
    # and an emoji's presentation are written with them.
    for char in "\u061c\U000e0041\u3164\u115f\u2028\u2029\u180e":
        assert rules(f"张{char}示例") == {"text.zero_width"}, repr(char)
    assert rules("葛\U000e0100 ❤\ufe0f") == set()
    # Noncharacters: U+FFFE and U+FFFF cannot stand in the workbook's XML.
    for char in "\uffff\ufffe\ufdd0":
        assert rules(f"张{char}示例") == {"text.control"}, repr(char)
    assert rules("替换字符\ufffd") == set()
    assert rules(" a") == {"text.whitespace"}
    assert rules("=SUM(A1)") == {"text.formula"}
    assert rules("第一行\n- 列表项") == set()
    # Newer than this Python's Unicode (14): Unicode 16's outlined digits, which browsers
    # read as 0-9, and a Unicode 15 emoji; but not rare ideographs of the CJK planes (Ext
    # H, Ext I), an older emoji, or the private use planes.
    for char in "\U0001ccf0\U0001fae8\U00050000":
        assert rules(f"电话139{char}1234") == {"text.unknown_char"}, repr(char)
    assert rules("\U00031350\U0002ebf0姓名 😀 \U000f0000") == set()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(interesting | st.characters(codec="utf-8"), max_size=6),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["name", "a_b", "Key", "x y", "13800138000", "~/"])
            | st.text(max_size=4),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["credit_code", "name", "history", "Note"]), json_values, max_size=4
    )
)
def test_the_texts_are_the_strings_without_their_pointers(record: dict) -> None:
    """The walk that gives only texts (the common case) gives exactly the content strings,
    in order, with and without the values of the code fields."""
    from springrain.validate.checks.walk import APART, walk_strings, walk_texts

    _, content = walk_strings(record)
    texts, kept = walk_texts(record, frozenset({"credit_code"}), frozenset({"history"}))
    assert texts == [text for _, text in content]

    def under(pointer: str, name: str) -> bool:
        return pointer == f"/{name}" or pointer.startswith(f"/{name}/")

    # The codes left out, the fields apart moved after the rest behind a break.
    together = [t for p, t in content if not under(p, "credit_code") and not under(p, "history")]
    if "history" in record:
        together += [APART] + [t for p, t in content if under(p, "history")]
    assert kept == together


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_a_record_and_its_strings_give_the_same_findings(value: object) -> None:
    from springrain.validate.checks.walk import walk_strings

    record = {"a": value}
    _, content = walk_strings(record)
    by_record = TextHygiene().check(TextContext("f", LABEL, record=record))
    by_strings = [f for pointer, text in content for f in check_string("f", pointer, text, LABEL)]
    assert by_record == by_strings
