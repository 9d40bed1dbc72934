"""The raw-byte prefilter may let a file skip the exact text and PII checks only when those
checks would find nothing: whatever they find in a canonical file, the prefilter flags."""

from __future__ import annotations

import unicodedata
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from springrain.validate.checks import compat_forms, pii, prefilter, text
from springrain.validate.checks.walk import iter_strings

DIGIT_OR_AT, SEPARATOR = compat_forms.current()


def canonical(record: Any) -> bytes:
    return orjson.dumps(record, option=orjson.OPT_INDENT_2) + b"\n"


def exact_findings(record: Any) -> list[Any]:
    strings = list(iter_strings(record))
    label = lambda pointer: (pointer, pointer)  # noqa: E731
    return text.check_strings("f", strings, label) + pii.check_strings("f", strings, label)


# Characters the exact checks care about, in every form NFKC folds together, plus ordinary
# Chinese text, so that generated strings often sit near a boundary of some rule.
hostile_char = st.sampled_from(
    [
        *"0123456789013813800@.-() \n\t\r\x0b\x0c\x1c\x1f\x00\x7f\x85\xa0=+Xx",
        *"电话联系示例医院（）：，。－．＠",
        *"\u3000\u2028\u2029\u200b\u202e\u2060\ufeff\u1680\u2007",
        *DIGIT_OR_AT,
        *SEPARATOR,
    ]
) | st.characters(codec="utf-8")
hostile_text = st.text(hostile_char, max_size=40)
# Short strings of a few characters hit the edge rules (leading, trailing) most often.
short_text = st.text(st.sampled_from("a电 =+@-\t\n\r\u3000\u200b1"), max_size=4)


PHONE_SEPARATORS = [" ", "-", ".", "(", ")", "\n", "\u3000", "－", "（", "）", *SEPARATOR]


@st.composite
def phone_like(draw: st.DrawFn) -> str:
    """A mainland mobile number as people write it: ASCII or other digit forms, one
    separator between the groups (138-0013-8000) or between any digits."""
    digits = (
        "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    )
    other_forms = draw(st.booleans())
    separator = draw(st.text(st.sampled_from(PHONE_SEPARATORS), min_size=1, max_size=2))
    everywhere = draw(st.booleans())
    out = draw(st.sampled_from(["", "+86", "86 ", "0086-", "电话"]))
    for index, digit in enumerate(digits):
        if other_forms and draw(st.booleans()):
            out += draw(st.sampled_from([chr(0xFF10 + int(digit)), "①" if digit == "1" else digit]))
        else:
            out += digit
        if index < 10 and (everywhere or index in (2, 6)):
            out += separator
    return out + draw(st.sampled_from(["", "转", "3", "号"]))


EDGES = ["", " ", "\t", "\n", "\r", "=", "+", "@", "-", "\u3000", "\xa0", "\u200b"]
CORES = ["a", "示例医院", "13", ""]
# A clean text with an odd character at its start or its end.
edged_text = st.tuples(st.sampled_from(EDGES), st.sampled_from(CORES)).map("".join) | st.tuples(
    st.sampled_from(CORES), st.sampled_from(EDGES)
).map("".join)
odd_text = hostile_text | short_text | edged_text | phone_like()
clean_text = st.sampled_from(
    [
        "示例医院",
        "成果转化办公室（示例）：工作日",
        "2026-07-08",
        "ZL2026327938",
        "“初核通过”",
        "a-b",
    ]
)


@st.composite
def record(draw: st.DrawFn) -> dict[str, Any]:
    """Clean fields around one odd string, as a key, a value, a list item or a nested value:
    a rule the prefilter forgot shows up alone rather than hidden among others."""
    case: dict[str, Any] = {f"f{i}": draw(clean_text) for i in range(draw(st.integers(0, 3)))}
    odd = draw(odd_text)
    place = draw(st.sampled_from(["value", "key", "item", "nested"]))
    if place == "key":
        case[odd] = draw(clean_text)
    elif place == "item":
        case["list"] = [draw(clean_text), odd]
    elif place == "nested":
        case["object"] = {"inner": odd, "other": draw(clean_text)}
    else:
        case["odd"] = odd
    return case


@settings(max_examples=300, deadline=None)
@given(record())
def test_prefilter_flags_whatever_the_exact_checks_find(case: dict[str, Any]) -> None:
    if exact_findings(case):
        assert prefilter.suspect(canonical(case))


@pytest.mark.parametrize(
    "value",
    [
        "联系电话：138－0013－8000",  # full-width hyphens: NFKC makes them "-"
        "电话１３８００１３８０００",
        "电话138\u30000013\u30008000",
        "①③⑧⓪⓪①③⑧⓪⓪⓪",
        "138\n0013\n8000",
        "邮箱 a﹫example.com",
        "11010519491231002X",
        "尾部空格 ",
        "=HYPERLINK(1)",
        "a\u200bb",
    ],
)
def test_hostile_values_reach_the_exact_check(value: str) -> None:
    case = {"contact_route": value}
    assert exact_findings(case)
    assert prefilter.suspect(canonical(case))


def test_ordinary_chinese_text_is_passed() -> None:
    case = {
        "institution": "示例青岛第85中心医院",
        "contact_route": "示例医院成果转化办公室（示例）：工作日办理。",
        "submitted": "2026-07-08",
        "history": [{"date": "2026-09-13", "note": "进入“初核通过”，编号 ZL2026327938"}],
    }
    assert not exact_findings(case)
    assert not prefilter.suspect(canonical(case))


def test_compat_forms_are_current() -> None:
    if unicodedata.unidata_version != compat_forms.UNIDATA_VERSION:
        pytest.skip("this interpreter computes its own table")
    assert compat_forms.compute() == (compat_forms.DIGIT_OR_AT, compat_forms.SEPARATOR), (
        "run `python -m springrain.rules.compat_forms` to regenerate the table"
    )


def test_compat_forms_cover_every_code_point() -> None:
    """The block-skipping walk finds exactly what checking each code point alone finds."""
    digit_or_at, separator = [], []
    for point in [*range(0x80, 0xD800), *range(0xE000, 0x110000)]:
        char = chr(point)
        form = unicodedata.normalize("NFKC", char)
        if any(c in "0123456789@" for c in form):
            digit_or_at.append(char)
        elif not form or any(c.isspace() or c in "-.()" for c in form):
            separator.append(char)
    assert compat_forms.compute() == ("".join(digit_or_at), "".join(separator))
