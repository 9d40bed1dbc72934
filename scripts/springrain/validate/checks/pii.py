"""Personal contact data: mainland mobile numbers, resident ID numbers, e-mail addresses.

Text is NFKC-normalised first so full-width digits (１３８…) and ＠ are caught. Digit
boundaries are lookarounds, not ``\\b``: Python counts CJK characters as word characters,
so ``\\b`` would not separate 电话13800138000 from its digits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from springrain.validate.checks import compat_forms
from springrain.validate.checks.registry import Finding, rule

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


def _utf8_alternatives(chars: str) -> bytes:
    """An RE2 pattern (one byte a character) matching the UTF-8 of any of ``chars``."""
    return b"|".join(
        "".join(f"\\x{byte:02x}" for byte in char.encode("utf-8")).encode("ascii") for char in chars
    )


def raw_suspects() -> tuple[bytes, ...]:
    """What the prefilter (prefilter.py) looks for in a canonical file's bytes: no match
    proves that no string of the file holds contact data, by the exact patterns above.

    The exact check sees text after NFKC, so every character that becomes a digit or ``@``
    sends the file to it, and the raw phone pattern takes as a separator every character that
    is or becomes one, and the JSON escapes of the control characters among them."""
    digit_or_at, separator = compat_forms.current()
    separators = rb"[\t-\r \-.()]|\\[bfnrt]|\\u00[01][0-9a-fA-F]"
    if separator:
        separators += b"|" + _utf8_alternatives(separator)
    return (
        rb"@",
        _utf8_alternatives(digit_or_at),
        rb"[0-9]{17}",
        rb"1[3-9][0-9](?:(?:" + separators + rb")*[0-9]){8}",
    )


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


def check_strings(
    file: str,
    strings: Iterable[tuple[str, str]],
    label: Callable[[str], tuple[str, str]],
    skip: Callable[[str], bool] = lambda pointer: False,
) -> list[Finding]:
    findings: list[Finding] = []
    for pointer, text in strings:
        if skip(pointer):
            continue
        for code, masked in find_pii(text):
            zh, en = label(pointer)
            findings.append(RULE_OF[code].at(file, pointer, field=zh, field_en=en, masked=masked))
    return findings
