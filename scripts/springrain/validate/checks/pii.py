"""Personal contact data: mainland mobile numbers, resident ID numbers, e-mail addresses.

Text is NFKC-normalised first so full-width digits (１３８…) and ＠ are caught. Digit
boundaries are lookarounds, not ``\\b``: Python counts CJK characters as word characters,
so ``\\b`` would not separate 电话13800138000 from its digits.
"""

from __future__ import annotations

import re
import unicodedata

from springrain.validate.checks.registry import Check, Finding, TextContext, register, rule

MOBILE = rule(
    "pii.mobile",
    "error",
    "手机号码",
    "「{field}」中出现了手机号码（{masked}）。公开数据不能包含个人联系方式，请删除，"
    "并在「联系途径」中填写单位的成果转化部门或平台。",
    "{field_en} contains a mobile phone number ({masked}); personal contact data may not be "
    "published. Remove it and give an institutional contact route instead.",
)
ID_NUMBER = rule(
    "pii.id_number",
    "error",
    "身份证号码",
    "「{field}」中出现了居民身份证号码（{masked}）。公开数据不能包含身份证号，请删除。",
    "{field_en} contains a resident ID number ({masked}); remove it.",
)
EMAIL = rule(
    "pii.email",
    "error",
    "电子邮箱",
    "「{field}」中出现了电子邮箱（{masked}）。公开数据不能包含邮箱地址，请删除，"
    "并在「联系途径」中填写单位的成果转化部门或平台。",
    "{field_en} contains an e-mail address ({masked}); remove it and give an institutional "
    "contact route instead.",
)

_SEP = r"[\s\-.()]*"
MOBILE_RE = re.compile(
    rf"(?<![0-9])(?:(?:\+|00)?86{_SEP})?(1[3-9][0-9](?:{_SEP}[0-9]){{8}})(?![0-9])"
)
ID_RE = re.compile(
    r"(?<![0-9A-Za-z])([1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])"
    r"(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx])(?![0-9A-Za-z])"
)
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
ANY_RE = re.compile("|".join(f"(?:{r.pattern})" for r in (MOBILE_RE, ID_RE, EMAIL_RE)))

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_checksum_ok(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def mask(text: str) -> str:
    """Enough to recognise, not enough to republish the number in a log."""
    digits = re.sub(r"\s", "", text)
    if "@" in digits:
        name, _, domain = digits.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{digits[:3]}****{digits[-2:]}"


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def find_pii(text: str) -> list[tuple[str, str]]:
    """``(rule code, masked match)`` for each piece of contact data in one string."""
    normal = normalise(text)
    found: list[tuple[str, str]] = []
    for match in MOBILE_RE.finditer(normal):
        found.append(("pii.mobile", mask(match.group(1))))
    for match in ID_RE.finditer(normal):
        if id_checksum_ok(match.group(1)):
            found.append(("pii.id_number", mask(match.group(1))))
    for match in EMAIL_RE.finditer(normal):
        found.append(("pii.email", mask(match.group())))
    return found


RULE_OF = {"pii.mobile": MOBILE, "pii.id_number": ID_NUMBER, "pii.email": EMAIL}


SPLIT = rule(
    "pii.split",
    "error",
    "跨字段的联系方式",
    "把各字段连起来读，出现了{what}（{masked}）：它被拆在相邻的几个字段里。公开数据不能包含个人联系方式，请删除。",
    "Read together, the fields hold {what_en} ({masked}) split across neighbouring fields; "
    "remove it.",
)
WHAT = {
    "pii.mobile": ("手机号码", "a mobile phone number"),
    "pii.id_number": ("居民身份证号码", "a resident ID number"),
    "pii.email": ("电子邮箱", "an e-mail address"),
}


@register
class ContactData(Check):
    """Personal contact data in any string, and in all of a record's strings read together
    (a number split across two fields). Codes (a credit code) are left out of both."""

    inspects = "text"
    rules = (MOBILE, ID_NUMBER, EMAIL, SPLIT)

    def check(self, context: TextContext) -> list[Finding]:
        strings = [(p, t) for p, t in context.strings if p not in context.codes]
        together = find_pii(TextContext.SEPARATOR.join(t for _, t in strings))
        if not together:
            return []
        findings: list[Finding] = []
        alone: set[str] = set()
        for pointer, text in strings:
            for code, masked in find_pii(text):
                zh, en = context.label(pointer)
                alone.add(masked)
                findings.append(
                    RULE_OF[code].at(context.file, pointer, field=zh, field_en=en, masked=masked)
                )
        for code, masked in together:
            if masked not in alone:
                what, what_en = WHAT[code]
                findings.append(
                    SPLIT.at(context.file, "", what=what, what_en=what_en, masked=masked)
                )
        return findings
