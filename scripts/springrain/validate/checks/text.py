"""Text hygiene: characters and shapes that hide content or turn into spreadsheet formulas,
and characters too new for this system to read."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from springrain.validate.checks.registry import Check, Finding, Label, TextContext, register, rule

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
UNKNOWN_CHAR = rule(
    "text.unknown_char",
    "error",
    "无法识别的字符",
    "「{field}」含有本系统使用的 Unicode {version} 尚未收录的字符（{char}），本系统无法判断它是不是"
    "数字或联系方式的一部分。请换成常用的字符（较新的表情符号请删除）后重新保存。",
    "{field_en} contains a character that Unicode {version}, which this system uses, does not "
    "define ({char}), so it cannot tell whether it is part of a number or an address; replace "
    "it (delete newer emoji).",
)

# C0 and C1 controls except tab and line feed, which free text may hold; lone surrogates,
# which are no characters (JSON can carry one; no file can store it); and the noncharacters
# of the Basic Multilingual Plane (U+FDD0-FDEF, U+FFFE, U+FFFF): U+FFFE and U+FFFF may not
# stand in an XML file, so the package's workbook could not be written. (The planes' last
# two, U+1FFFE …, may: each astral character in a class costs every character scanned a
# comparison, and 32 of them made this scan nine times slower.)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
# Characters that show nothing, or turn the text around them, which no field needs: the
# zero-width ones and joiners, direction marks, embeddings and isolates (U+061C, U+200E/F,
# U+202A-E, U+2066-9), the invisible operators, the BOM, the Hangul fillers and the
# Mongolian vowel separator that show as blank, the line and paragraph separators (a line
# break has its own character), and the tag characters (invisible ASCII). The astral range
# is written as characters, not escapes, so that Python's re and JavaScript's RegExp (with
# the u flag, on the web form) read the class alike; one range costs the scan nothing.
ZERO_WIDTH_CHARS = re.compile(
    r"[\u061c\u115f\u1160\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064"
    r"\u2066-\u2069\u3164\ufeff\uffa0"
    "\U000e0000-\U000e007f]"
)
FORMULA_STARTS = frozenset("=+@-")
# Outside the Basic Multilingual Plane and the two planes of CJK ideographs (2 and 3, where
# a character newer than Python's Unicode is a rare ideograph a name may need): where a
# character this Python does not know may be a digit to readers (Unicode 16's outlined
# digits normalise to 0-9 in browsers) that the contact-data detector reads as nothing.
# Each character found is looked up (found rarely: emoji and symbols live there too).
BEYOND_BMP_AND_CJK = re.compile("[\U00010000-\U0001ffff\U00040000-\U0010ffff]")


def unknown_char(text: str) -> str | None:
    """The first character of ``text`` that this Python's Unicode leaves unassigned, outside
    the planes of CJK ideographs (and the BMP, where none is digit-like); else None."""
    for found in BEYOND_BMP_AND_CJK.finditer(text):
        if unicodedata.category(found.group()) == "Cn":
            return found.group()
    return None


@cache
def unknown_ranges() -> list[tuple[int, int]]:
    """What ``unknown_char`` refuses, as ranges of code points (for the web form)."""
    ranges: list[tuple[int, int]] = []
    for cp in [*range(0x10000, 0x20000), *range(0x40000, 0x110000)]:
        if unicodedata.category(chr(cp)) != "Cn":
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return ranges


def describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def check_string(file: str, pointer: str, text: str, label: Label) -> list[Finding]:
    """The text rules on one string."""
    if not text:
        return []
    control = CONTROL_CHARS.search(text)
    zero = ZERO_WIDTH_CHARS.search(text)
    bad_edge = text[0].isspace() or text[-1].isspace()
    formula = text[0] in FORMULA_STARTS
    unknown = None if text.isascii() else unknown_char(text)
    if not (control or zero or bad_edge or formula or unknown):
        return []
    zh, en = label(pointer)
    findings = []
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
    if unknown:
        findings.append(
            UNKNOWN_CHAR.at(
                file,
                pointer,
                field=zh,
                field_en=en,
                char=describe(unknown),
                version=unicodedata.unidata_version,
            )
        )
    return findings


# Either class, in one scan (the two classes above, joined).
INVISIBLE = re.compile(CONTROL_CHARS.pattern[:-1] + ZERO_WIDTH_CHARS.pattern[1:])
# Either class, or a character outside the BMP and the CJK planes (which the strings are
# then read for one by one, a character this Python does not know among them or not). The
# two ranges made this scan 0.28 -> 0.42 s over 20,000 project files; a scan of their own
# took 0.25 s more.
PRESCREEN = re.compile(INVISIBLE.pattern[:-1] + BEYOND_BMP_AND_CJK.pattern[1:])
# A string that starts or ends with whitespace, or starts with a formula character, found in
# all the strings at once: TextContext.edges joins them with a character no string may hold.
_EDGE = re.escape(TextContext.EDGE)
EDGES = re.compile(
    rf"(?:^|{_EDGE})[\s{re.escape(''.join(sorted(FORMULA_STARTS)))}]|\s(?:{_EDGE}|$)"
)


@register
class TextHygiene(Check):
    """Invisible characters, whitespace at either end, a start a spreadsheet would run as
    a formula, and characters newer than this Python's Unicode (outside the CJK planes), in
    every string of a record and every cell of a hand-kept table."""

    inspects = "text"
    rules = (CONTROL, ZERO_WIDTH, WHITESPACE, FORMULA, UNKNOWN_CHAR)

    def check(self, context: TextContext) -> list[Finding]:
        # Each rule over all the strings at once first: the separator of ``joined`` (a line
        # feed) is in neither character class, so a class matches the joined text exactly
        # when it matches some string; ``EDGES`` matches wherever a string starts or ends
        # badly (and, harmlessly, where a string holds the edge mark, itself refused).
        # Keys that are plain field names can break no rule and are left out.
        if not (PRESCREEN.search(context.joined) or EDGES.search(context.edges)):
            return []
        findings: list[Finding] = []
        for pointer, text in context.content:
            findings += check_string(context.file, pointer, text, context.label)
        return findings
