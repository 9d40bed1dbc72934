"""Text hygiene: characters and shapes that hide content or turn into spreadsheet formulas."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from springrain.validate.checks.registry import Finding, rule

CONTROL = rule(
    "text.control",
    "error",
    "控制字符",
    "「{field}」含有不可见的控制字符（{char}）。请删除后重新保存；从其他文档复制粘贴时常会带入。",
    "{field_en} contains an invisible control character ({char}); delete it.",
)
ZERO_WIDTH = rule(
    "text.zero_width",
    "error",
    "零宽或方向控制字符",
    "「{field}」含有零宽字符或文字方向控制字符（{char}），它们会隐藏或颠倒显示的内容。请删除。",
    "{field_en} contains a zero-width or bidirectional control character ({char}); delete it.",
)
WHITESPACE = rule(
    "text.whitespace",
    "error",
    "首尾空白",
    "「{field}」开头或结尾有多余的空格或空行。请删除首尾空白（运行 springrain fmt 不会替你改动文字）。",
    "{field_en} starts or ends with whitespace; remove it.",
)
FORMULA = rule(
    "text.formula",
    "error",
    "可能被当作公式",
    "「{field}」以“{char}”开头，在 Excel/WPS 中会被当作公式执行。请在前面加上文字说明，或删除该符号。",
    "{field_en} starts with '{char}', which spreadsheets run as a formula; reword the start.",
)

# C0 and C1 controls except tab and line feed, which free text may hold.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ZERO_WIDTH_CHARS = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
FORMULA_STARTS = frozenset("=+@-")

# What the prefilter (prefilter.py) looks for in a canonical file's bytes: no match proves
# every string clean; any match sends the record to the exact per-string check. RE2 syntax,
# one byte a character. In canonical JSON a string opens after `": "` or an indent and
# closes before `,`, `: ` (a key) or a line end; controls are escaped as \uXXXX, \b, \f,
# \r; line feed and tab (allowed in free text) as \n and \t.
RAW_SUSPECTS = (
    rb"\x7f",
    # UTF-8 of U+0080-00A0, U+2000-200F, U+2028-202F, U+205F-2064, U+2066-2069, U+3000,
    # U+FEFF and U+1680: controls, zero-width and direction marks, unusual spaces.
    rb"\xc2[\x80-\xa0]",
    rb"\xe2\x80[\x80-\x8f\xa8-\xaf]",
    rb"\xe2\x81[\x9f-\xa4\xa6-\xa9]",
    rb"\xe3\x80\x80",
    rb"\xef\xbb\xbf",
    rb"\xe1\x9a\x80",
    # Escaped controls anywhere; escaped line feed or tab at a string's end or start.
    rb"\\(?:u00[01]|u007[fF]|[bfr])",
    rb'\\[nt]"(?:,?\n|: )',
    rb'"(?:\\[nt]|[ =+@\-])',
    # A space before a closing quote.
    rb' "(?:,?\n|: )',
)


def describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def check_strings(
    file: str, strings: Iterable[tuple[str, str]], label: Callable[[str], tuple[str, str]]
) -> list[Finding]:
    findings: list[Finding] = []
    for pointer, text in strings:
        if not text:
            continue
        control = CONTROL_CHARS.search(text)
        zero = ZERO_WIDTH_CHARS.search(text)
        bad_edge = text[0].isspace() or text[-1].isspace()
        formula = text[0] in FORMULA_STARTS
        if not (control or zero or bad_edge or formula):
            continue
        zh, en = label(pointer)
        if control:
            findings.append(
                CONTROL.at(file, pointer, field=zh, field_en=en, char=describe(control.group()))
            )
        if zero:
            findings.append(
                ZERO_WIDTH.at(file, pointer, field=zh, field_en=en, char=describe(zero.group()))
            )
        if bad_edge:
            findings.append(WHITESPACE.at(file, pointer, field=zh, field_en=en))
        if formula:
            findings.append(FORMULA.at(file, pointer, field=zh, field_en=en, char=text[0]))
    return findings
