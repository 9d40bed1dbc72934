"""Finding personal contact data in text, whatever its spelling: the one detector that
validation, intake, the spreadsheet importer, the site's web form and the publish gate use.

What it finds: mainland mobile numbers (with or without +86 / 0086, or a trunk 0),
landlines with an area code, resident ID numbers (18 digits with their check digit, and the
old 15-digit form, both with a real birth date and a province prefix from GB/T 2260), and
e-mail addresses, including ``name at host dot cn``, ``[at]``, ``(at)``, ``艾特``, spaces
around ``@``, ``。`` as the dot, a Chinese local part, and ``#`` for ``@`` (``zhangsan#163.com``,
an ASCII address ending in a usual mail domain: ``1#楼`` numbers a building).

How, in linear time:

1. *Runs of digits.* One scan (``RUN``) finds runs of at least ten digit-like characters —
   ASCII and every Unicode decimal digit, compatibility digits (①, ⑴, ¹ …), Chinese numerals
   (〇零一二三四五六七八九, 壹贰叁肆伍陆柒捌玖, 幺, 两) — each separated from the next by at
   most a few characters that are neither letters nor digits (any dash, slash, space, comma,
   dot, bracket; soft hyphens, zero-width and other invisible characters are removed first).
   Only a run is normalised: NFKC, every digit to ASCII, every numeral to its digit.
2. *Shapes.* The run's digits, with ``|`` where a separator stood, are matched against the
   shapes of the numbers above, starting and ending where the writer's groups start and end
   (``139 1234 5678``), in at most five groups or digit by digit (``1 3 9 …``), so that an
   enumeration (``第1、3、5、7、9、11、13天``) or a date is not taken for a number.
3. *E-mail.* Each ``@`` or spelled-out ``at`` found by ``MARKER`` opens a window around it,
   normalised (NFKC, lower case, the spelled-out forms written as ``@`` and ``.``) and
   searched with RE2.

Everything is bounded: the patterns have no nested unbounded repetition, RE2 runs the only
open-ended one, windows are merged, and a run is examined once per group boundary.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import re2

from springrain.model.schemas import vocabulary

MOBILE, LANDLINE, ID_NUMBER, EMAIL = "mobile", "landline", "id_number", "email"
# Too many number-shaped candidates to examine each: reported, never passed unexamined.
CROWDED = "crowded"

# Chinese numerals, as digits (ordinary, financial simplified and traditional, 幺 and 两).
NUMERALS = {
    **dict.fromkeys("〇零", "0"),
    **{c: str(i) for i, c in enumerate("一二三四五六七八九", start=1)},
    **{c: str(i) for i, c in enumerate("壹贰叁肆伍陆柒捌玖", start=1)},
    **{c: str(i) for i, c in enumerate("壹貳參肆伍陸柒捌玖", start=1)},
    "幺": "1",
    "两": "2",
    "兩": "2",
}
# Invisible characters removed before anything else: format characters (soft hyphen,
# zero-width, word joiner, direction marks, tag characters), variation selectors, and the
# other default-ignorable code points; combining marks go too (they may sit between digits).
IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
MAX_SEPARATORS = 3  # between two digits of one number
MIN_RUN = 10  # the shortest number looked for: a landline with its area code
MAX_GROUPS = 5  # the most groups a number is written in (+86 139 1234 5678, with 00)
# Digit by digit (1 3 9 1 …) is a way to write one number, not a list: a longer stretch of
# single digits is read in groups only.
MAX_DIGIT_BY_DIGIT = 24
# The most candidate numbers examined in one text, plus one per CANDIDATE_SPACING
# characters: bounded work on any input, far above what readable text or a data file holds
# (a form's worth of text has a handful; 45 MB of published records, about one per 2,000
# characters). A text with more is reported as ``CROWDED``, never passed unread.
MAX_CANDIDATES = 4096
CANDIDATE_SPACING = 16


@cache
def compatibility_digits() -> str:
    """Characters whose NFKC holds a digit or a Chinese numeral (①, ⑴, ⒈, ¹, ㊀ …): found in
    the Basic Multilingual Plane and the enclosed alphanumerics once per process."""
    found = []
    for cp in [*range(0x80, 0x10000), *range(0x1F100, 0x1F10D)]:
        char = chr(cp)
        if unicodedata.category(char) in ("No", "Nl"):
            form = unicodedata.normalize("NFKC", char)
            if any(c in "0123456789" or c in NUMERALS for c in form):
                found.append(char)
    return "".join(found)


def _class(chars: str) -> str:
    return "".join(re.escape(c) for c in chars)


@cache
def patterns() -> dict[str, str]:
    """The detector's patterns, in a syntax both Python's ``re`` and JavaScript's RegExp (with
    the ``u`` flag) read the same way once ``{SEP}`` and ``{DIGIT}`` are filled in
    (``python_patterns`` and the site's web form each fill them in their own syntax)."""
    digit_like = "{DIGIT}" + _class(compatibility_digits() + "".join(NUMERALS))
    sep = "{SEP}{0," + str(MAX_SEPARATORS) + "}"
    # Area codes: 010, 02x, and the four-digit ones 03xx–09xx.
    area = r"0\|?(?:1\|?0|2\|?[0-9]|[3-9](?:\|?[0-9]){2})"
    g = r"\|?"
    return {
        "ignorable": f"[{IGNORABLE}]",
        "run": f"[{digit_like}](?:{sep}[{digit_like}]){{{MIN_RUN - 1},}}(?:{sep}[XxＸｘ])?",
        # On the digits of a run, '|' where the writer put a separator:
        MOBILE: rf"(?:(?:0{g}0{g})?8{g}6{g}|0{g})?1{g}[3-9](?:{g}[0-9]){{9}}",
        LANDLINE: rf"(?:(?:0{g}0{g})?8{g}6{g}(?:1{g}0|2{g}[0-9]|[3-9](?:{g}[0-9]){{2}})|{area}){g}[2-9](?:{g}[0-9]){{6,7}}",
        ID_NUMBER: rf"[1-9](?:{g}[0-9]){{16}}{g}[0-9X]|[1-9](?:{g}[0-9]){{14}}",
        # Where an address may be: an @ in any form, # (written for @ to keep robots off:
        # ``_HASH_EMAIL``), 艾特, or the letters a t as a word of their own (bare, or in
        # brackets). The letters around "at" are matched, not looked at (no engine here
        # has to support lookaround); a marker right after another one may so go
        # unmatched, but it lies inside the window the first one opened.
        "marker": (
            r"[@＠﹫#＃﹟]|艾特|(?:^|[^a-zA-Zａ-ｚＡ-Ｚ])[aAａＡ][tTｔＴ](?:[^a-zA-Zａ-ｚＡ-Ｚ]|$)"
        ),
    }


def _re2_class(chars: str) -> str:
    return "".join(f"\\x{{{ord(c):x}}}" for c in chars)


@cache
def _scanner() -> re2._Regexp:
    """The scan for digit runs over the whole text, in RE2 (linear, and several times faster
    than ``re`` here). It reads any character that is no ASCII letter or digit and no CJK
    ideograph as a separator, which takes in every true separator (anything neither letter
    nor digit) and more; ``_numbers`` then reads each run exactly."""
    digit = r"0-9\p{Nd}" + _re2_class(compatibility_digits() + "".join(NUMERALS))
    sep = r"[^0-9A-Za-z\x{4e00}-\x{9fff}]"
    run = re2.compile(
        f"[{digit}](?:{sep}{{0,{MAX_SEPARATORS}}}[{digit}]){{{MIN_RUN - 1},}}"
        f"(?:{sep}{{0,{MAX_SEPARATORS}}}[XxＸｘ])?"
    )
    return run


@cache
def _whole_text() -> dict[str, re2._Regexp]:
    """The two scans over a whole text, in RE2: linear, and on long texts (the publish gate
    reads files of many megabytes) several times faster than ``re``. The same patterns as
    ``patterns()``, written with RE2's escapes."""
    ignorable = re.sub(r"[^-]", lambda char: f"\\x{{{ord(char.group()):x}}}", IGNORABLE)
    marker = patterns()["marker"]
    for char in set(marker) - set("[]()|?:^$-"):
        if not char.isascii():
            marker = marker.replace(char, f"\\x{{{ord(char):x}}}")
    return {"ignorable": re2.compile(f"[{ignorable}]"), "marker": re2.compile(marker)}


@cache
def _compiled() -> dict[str, re.Pattern[str]]:
    fill = {"{SEP}": r"[\W_]", "{DIGIT}": r"\d"}

    def python(pattern: str) -> str:
        for key, value in fill.items():
            pattern = pattern.replace(key, value)
        return pattern

    raw = {name: python(p) for name, p in patterns().items()}
    compiled = {name: re.compile(p) for name, p in raw.items()}
    # A shape matches a whole number: from one group boundary to another.
    for name in (MOBILE, LANDLINE, ID_NUMBER):
        compiled[name] = re.compile(rf"(?:^|(?<=\|))(?=({raw[name]})(?:\||$))")
    return compiled


@cache
def read_as_digits() -> str:
    """Characters other than ASCII that ``_digits_of`` may read as a digit or as the check
    digit X: every decimal digit, every Chinese numeral, and whatever has a compatibility
    form holding one or an X (①, ３, 一, ⒳, ㋀ …). Decimal digits and compatibility forms
    beyond the first two planes do not exist."""
    found = []
    for cp in range(0x80, 0x20000):
        char = chr(cp)
        if char.isdecimal() or char in NUMERALS:
            found.append(char)
        elif unicodedata.decomposition(char):
            form = unicodedata.normalize("NFKC", char)
            if any(c.isdecimal() or c in NUMERALS or c in "Xx" for c in form):
                found.append(char)
    return "".join(found)


def _ranges(points: list[int]) -> list[tuple[int, int]]:
    """Code points as runs of consecutive ones, ``(first, last)``."""
    runs: list[tuple[int, int]] = []
    for point in sorted(set(points)):
        if runs and runs[-1][1] == point - 1:
            runs[-1] = (runs[-1][0], point)
        else:
            runs.append((point, point))
    return runs


def _re2_ranges(chars: str) -> str:
    """A character class's contents in RE2's escapes, consecutive code points as ranges
    (a smaller automaton than one escape per character)."""
    return "".join(
        f"\\x{{{low:x}}}" + (f"-\\x{{{high:x}}}" if high > low else "")
        for low, high in _ranges(list(map(ord, chars)))
    )


# Written digits read one for one: the ASCII digit, its full-width form and the numerals.
_SAME_DIGIT = {
    str(value): str(value)
    + chr(0xFF10 + value)
    + "".join(numeral for numeral, digit in NUMERALS.items() if digit == str(value))
    for value in range(10)
}


@cache
def _prefilters() -> dict[str, re2._Regexp]:
    """One scan that every text holding contact data matches, and ordinary text does not.

    It matches wherever ``find`` could find something: an invisible character to remove;
    an e-mail marker; a digit-like character other than an ASCII or full-width digit or a
    Chinese numeral (``read_as_digits``: ①, ⒈, ㋀ …) next to another digit-like one; or
    digits in the shape of a mobile, a landline or an ID number — the shapes of
    ``patterns()``, each digit written as an ASCII or full-width digit or a numeral of the
    same value, with up to ``MAX_SEPARATORS`` separators of any kind where ``_numbers``
    allows a group boundary — starting and ending where no other digit stands.

    Without any of these, every run of digits is made of digits read one for one between
    separators that normalise to no digit, so ``_numbers`` reads it as written and nothing
    in it has a shape it accepts (its shapes are these, from group boundary to group
    boundary, outside dates): a text the prefilter passes holds nothing ``find`` reports,
    and most records cost this one scan instead of three and the reading of their dates."""
    same = {digit: _re2_ranges(chars) for digit, chars in _SAME_DIGIT.items()}
    any_digit = "".join(same.values())
    unusual_chars = set(read_as_digits()) - set("".join(_SAME_DIGIT.values()))
    unusual = f"[{_re2_ranges(''.join(unusual_chars))}]"
    digit_like = f"[{any_digit}{_re2_ranges(''.join(unusual_chars))}]"
    sep = r"[^0-9A-Za-z\x{4e00}-\x{9fff}]" + f"{{0,{MAX_SEPARATORS}}}"

    def written(token: re.Match[str]) -> str:
        text = token.group()
        if text.startswith("{"):  # a repetition count, not a digit
            return text
        if text == r"\|?":
            return sep
        if text.startswith("["):  # [3-9], [0-9X]
            low, high = text[1], text[3]
            check = "Xx" if "X" in text else ""
            return f"[{''.join(same[str(d)] for d in range(int(low), int(high) + 1))}{check}]"
        return f"[{same[text]}]"

    shapes = "|".join(
        re.sub(r"\{[0-9,]+\}|\\\|\?|\[[0-9]-[0-9]X?\]|[0-9]", written, patterns()[kind])
        for kind in (MOBILE, LANDLINE, ID_NUMBER)
    )
    numbers = (
        f"{unusual}{sep}{digit_like}|{digit_like}{sep}{unusual}"
        f"|(?:^|[^{any_digit}])(?:{shapes})(?:[^{any_digit}]|$)"
    )
    whole = _whole_text()
    return {
        "all": re2.compile(
            "|".join([whole["ignorable"].pattern, whole["marker"].pattern, numbers])
        ),
        "numbers": re2.compile(numbers),
    }


# ---------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Hit:
    kind: str  # mobile, landline, id_number, email
    masked: str  # enough to recognise it, not enough to republish it


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@cache
def province_prefixes() -> frozenset[str]:
    """The first two digits of resident ID numbers: the GB/T 2260 codes of the provinces."""
    return frozenset(row["gb2260"][:2] for row in vocabulary("provinces") if row.get("gb2260"))


def _real_date(year: int, month: int, day: int) -> bool:
    if not 1880 <= year <= 2100:
        return False
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def is_id_number(digits: str) -> bool:
    """A resident ID number: 18 characters with a good check digit, or the old 15 digits;
    a province prefix and a real birth date either way. Digits are decimal digits of any
    script (``int`` reads them all); a superscript or circled one (², ①: digits to
    ``isdigit``, no number to ``int``) makes no ID number.

    The date is read before the check digit is worked out: the same answer, and on a text
    crowded with ID-shaped numbers (the detector's costliest input) the cheaper test first."""
    if digits[:2] not in province_prefixes():
        return False
    if (
        len(digits) == 18
        and digits[:17].isdecimal()
        and (digits[17].isdecimal() or digits[17] in "Xx")
    ):
        if not _real_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])):
            return False
        total = sum(map(operator.mul, map(int, digits[:17]), _ID_WEIGHTS))
        return _ID_CHECK[total % 11] == digits[17].upper()
    if len(digits) == 15 and digits.isdecimal():
        return _real_date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))
    return False


def mask(kind: str, text: str) -> str:
    if kind == EMAIL:
        name, _, domain = text.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{text[:3]}****{text[-2:]}"


_NOT_DIGIT = re.compile(r"[^0-9Xx]+")


def _digits_of(run: str) -> str:
    """The run as digits (and a final X) with '|' between the writer's groups."""
    if run.isascii():  # nearly always: no numeral, no compatibility form to read
        return _NOT_DIGIT.sub("|", run).replace("x", "X").strip("|")
    form = unicodedata.normalize("NFKC", run)
    out: list[str] = []
    for char in form:
        if "0" <= char <= "9":
            out.append(char)
        elif char in NUMERALS:
            out.append(NUMERALS[char])
        elif char in "Xx":
            out.append("X")
        elif char.isdecimal():
            out.append(str(unicodedata.decimal(char)))
        elif out and out[-1] != "|":
            out.append("|")
    return "".join(out).strip("|")


def _written_as_a_number(candidate: str, in_short_stretch: bool = True) -> bool:
    """Whether the groups read as one number written out: digit by digit (within a stretch
    of single digits no longer than ``MAX_DIGIT_BY_DIGIT``), or in at most five groups of
    which the first has three digits or more (two after a country code), as in
    ``021-6123 4567``, ``139 1234 5678`` or ``+86 21 6123 4567`` (dates, ``07-01
    2028-12-31``, do not)."""
    groups = candidate.split("|")
    if len(candidate) == 2 * len(groups) - 1:  # every group a single digit
        return in_short_stretch
    if len(groups) > MAX_GROUPS:
        return False
    if groups[:2] == ["00", "86"] or groups[0] in ("86", "0086"):
        rest = groups[2:] if groups[0] == "00" else groups[1:]
        return bool(rest) and len(rest[0]) >= 2  # the area code without its 0: 21, 755
    return len(groups[0]) >= 3


def _date_groups(groups: list[str]) -> list[int]:
    """Indexes, in order, of groups that make up a date written year, month, day
    (2016-12-24, 2025.7.1): a number never runs through one, so a name ending in digits
    next to a date is not read as a telephone number."""
    marked: dict[int, None] = {}
    for i in [i for i, group in enumerate(groups[:-2]) if len(group) == 4]:
        year, month, day = groups[i : i + 3]
        if (
            year[:2] in ("19", "20")
            and 1 <= len(month) <= 2
            and 1 <= len(day) <= 2
            and month.isdigit()
            and day.isdigit()
            and 1 <= int(month) <= 12
            and 1 <= int(day) <= 31
        ):
            marked.update(dict.fromkeys((i, i + 1, i + 2)))
    return list(marked)


# On a run's digits: a stretch of more than MAX_DIGIT_BY_DIGIT single digits (1|3|9|…).
_LONG_STRETCH = re.compile(rf"(?<![0-9X])[0-9X](?:\|[0-9X]){{{MAX_DIGIT_BY_DIGIT},}}(?![0-9X])")


def _segments(groups: list[str]) -> Iterator[list[str]]:
    """The groups between the dates (a number never runs through a date), each stretch long
    enough to hold a number."""
    start = 0
    for index in [*(_date_groups(groups) if len(groups) > 2 else []), len(groups)]:
        segment = groups[start:index]
        if sum(map(len, segment)) >= MIN_RUN:
            yield segment
        start = index + 1


def _numbers(run: str, budget: list[int]) -> Iterator[Hit]:
    compiled = _compiled()
    for groups in _segments(_digits_of(run).split("|")):
        digits = "|".join(groups)
        # Where single digits run on too long to be one number written digit by digit.
        long = (
            [m.span() for m in _LONG_STRETCH.finditer(digits)]
            if len(groups) > MAX_DIGIT_BY_DIGIT
            else []
        )
        for kind in (MOBILE, LANDLINE, ID_NUMBER):
            passed = 0  # the long stretches before the candidate (candidates come in order)
            for match in compiled[kind].finditer(digits):
                budget[0] -= 1
                if budget[0] < 0:
                    return
                if long:
                    at = match.start(1)
                    while passed < len(long) and long[passed][1] <= at:
                        passed += 1
                    if passed < len(long) and long[passed][0] <= at:
                        # Starts inside a long stretch of single digits: its first group is
                        # one digit, so it is neither written digit by digit in a short
                        # stretch nor led by a group of three (_written_as_a_number).
                        continue
                candidate = match.group(1)
                plain = candidate.replace("|", "")
                if "X" in plain[:-1] or not _written_as_a_number(candidate):
                    continue
                if kind == ID_NUMBER and not is_id_number(plain):
                    continue
                # A mobile with +86, 0086 or a trunk 0 is the same number as without.
                yield Hit(kind, mask(kind, plain[-11:] if kind == MOBILE else plain))


# ---------------------------------------------------------------- e-mail

WINDOW_BEFORE, WINDOW_AFTER = 80, 260
# Spelled-out @ and dots, lower case, NFKC (so full-width brackets are ASCII already):
# replaced with str.replace, a C loop, whatever their number.
_AT_FORMS = ("[at]", "(at)", "【at】", "<at>", "{at}", "〔at〕", "艾特", " at ")
_DOT_FORMS = ("[dot]", "(dot)", "【dot】", "<dot>", "{dot}", "〔dot〕", " dot ", "。")
# Spaces around @, and around a dot with a space before it (". " alone ends a sentence).
_SPACED = re.compile(r"\s*(@)\s*|\s+(\.)\s*")
_DOT_WORD = re.compile(r"(?<=[a-z0-9])点(?=[a-z0-9])")
# Linear in RE2 whatever the text: no bounded repetition to expand, no backtracking.
_EMAIL = re2.compile(
    r"[a-z0-9._%+\-\p{Han}]+@[a-z0-9\-\p{Han}]+(?:\.[a-z0-9\-\p{Han}]+)*\.(?:[a-z]{2,24}|\p{Han}{1,8})"
)

# An address with # written for @ (zhangsan#163.com, zhang(#)qq.com, as Chinese pages write
# it to keep robots off), read apart from ``_EMAIL``: # also numbers things (1#楼, 实施例#1,
# Fig#2.Top), so only an ASCII address whose domain's parts have two characters or more
# and end in a usual mail domain counts, and it is never rewritten as @ for ``_EMAIL`` to
# read with its Chinese names and domains.
HASH_TLDS = ("com", "net", "org", "edu", "gov", "cn")
_HASH_EMAIL = re2.compile(
    r"([a-z0-9._%+\-]+)[ \t]{0,3}[(\[【〔{<]?#[)\]】〕}>]?[ \t]{0,3}"
    r"([a-z0-9\-]{2,}(?:\.[a-z0-9\-]{2,})*\.(?:" + "|".join(HASH_TLDS) + r"))(?:[^a-z0-9\-]|$)"
)


def _email_view(window: str) -> str:
    text = unicodedata.normalize("NFKC", window).lower()
    for form in _AT_FORMS:
        if form in text:
            text = text.replace(form, "@")
    for form in _DOT_FORMS:
        if form in text:
            text = text.replace(form, ".")
    if "点" in text:
        text = _DOT_WORD.sub(".", text)
    if " @" in text or "@ " in text or " ." in text:
        text = _SPACED.sub(lambda match: match.group(1) or match.group(2), text)
    return text


# The longest text a marker matches (a letter-free character, "at", another one): a marker
# that starts by a window's end ends within this many characters of it.
MARKER_LENGTH = 4


class _Places:
    """Places in a text and in its UTF-8 bytes, converted one to the other moving forward
    only (so converting them all costs one pass over the text)."""

    def __init__(self, text: str) -> None:
        self.text, self.data = text, text.encode("utf-8")
        self.ascii = len(self.data) == len(text)
        self.char = self.byte = 0

    def byte_of(self, char: int) -> int:
        if self.ascii:
            return char
        self.byte += len(self.text[self.char : char].encode("utf-8"))
        self.char = char
        return self.byte

    def char_of(self, byte: int) -> int:
        if self.ascii:
            return byte
        self.char += len(self.data[self.byte : byte].decode("utf-8"))
        self.byte = byte
        return self.char


def _windows(text: str) -> Iterator[tuple[int, int]]:
    """Spans around the e-mail markers, overlapping ones merged, from the markers a single
    pass over the text finds. RE2 jumps to each window's first marker however far it is;
    the markers close behind it, which only widen the window, are found by ``re`` within
    the window (one call of RE2's Python wrapper per marker made a megabyte of @ take
    seconds; ``re`` over the whole text would take long on a long one).

    A search for the next marker stops a marker's length past the window's end; a marker
    that reaches the stop may owe its end to it (``$``), so it is read again in the whole
    text, and if it is none there, the search goes on from the next character."""
    jump, near = _whole_text()["marker"], _compiled()["marker"]
    # RE2 is given the text's bytes, encoded once: given the text and a starting place,
    # its wrapper encodes the whole text again on every search.
    places = _Places(text)
    pos = 0
    while (first := jump.search(places.data, places.byte_of(pos))) is not None:
        first_start, first_end = places.char_of(first.start()), places.char_of(first.end())
        start = max(0, first_start - WINDOW_BEFORE)
        pos, end = first_end, first_end + WINDOW_AFTER
        while True:
            stop = end + MARKER_LENGTH
            marker = near.search(text, pos, stop)
            if marker is None or marker.start() > end:
                break
            if marker.end() == stop and stop < len(text):
                whole = near.match(text, marker.start())
                if whole is None:
                    pos = marker.start() + 1
                    continue
                marker = whole
            pos, end = marker.end(), marker.end() + WINDOW_AFTER
        yield start, end


def _emails(text: str) -> Iterator[Hit]:
    for start, end in _windows(text):
        view = _email_view(text[start:end])
        found = [match.group() for match in _EMAIL.finditer(view)]
        if "#" in view:
            found += [f"{m.group(1)}@{m.group(2)}" for m in _HASH_EMAIL.finditer(view)]
        for address in found:
            local, _, domain = address.partition("@")
            if len(local) >= 1 and len(domain) <= 255:
                yield Hit(EMAIL, mask(EMAIL, address[-64 - len(domain) - 1 :]))


# ---------------------------------------------------------------- the whole text


def prepare() -> None:
    """Compile every pattern now (a twentieth of a second), before a process forks."""
    for compile_once in (_prefilters, _scanner, _compiled, province_prefixes):
        compile_once()


# Character references that a page or a Markdown text (a GitHub issue) shows as the
# character: ``&#64;``, ``&#x40;``, ``&commat;``. The text is also read with them decoded.
REFERENCE = re.compile(
    r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));?"
    r"|&(commat|period|plus|num|lowbar|hyphen|dash|colon|lpar|rpar|nbsp);"
)
NAMED_REFERENCES = {
    "commat": "@",
    "period": ".",
    "plus": "+",
    "num": "#",
    "lowbar": "_",
    "hyphen": "‐",
    "dash": "‐",
    "colon": ":",
    "lpar": "(",
    "rpar": ")",
    "nbsp": "\u00a0",
}


def _referenced(reference: re.Match[str]) -> str:
    if reference.group(3):
        return NAMED_REFERENCES[reference.group(3)]
    point = int(reference.group(1), 16) if reference.group(1) else int(reference.group(2))
    # No character, or half of one: shown as the replacement character.
    return chr(point) if 0 < point <= 0x10FFFF and not 0xD800 <= point <= 0xDFFF else "\ufffd"


def find(text: str) -> list[Hit]:
    """Every piece of contact data in ``text``, each once; with its character references
    decoded too, as a page shows them."""
    hits = _find(text)
    if "&" in text:
        decoded = REFERENCE.sub(_referenced, text)
        if decoded != text:
            hits += [hit for hit in _find(decoded) if hit not in hits]
    return hits


def _find(text: str) -> list[Hit]:
    try:
        passed = _prefilters()["all"].search(text)
    except UnicodeEncodeError:
        # A lone surrogate (JSON can carry one) is no character and cannot be encoded for
        # RE2: it is read as a separator, as an unknown character would be.
        text = text.encode("utf-8", "replace").decode("utf-8")
        passed = _prefilters()["all"].search(text)
    return read(text) if passed else []


# A text longer than this is read in pieces about this long, each piece's numbers only
# where the prefilter's part about numbers says they may be (the publish gate reads texts
# of tens of megabytes, of which an e-mail marker somewhere made the whole text read).
PIECE = 1 << 16
# What ends every run of digits, so a piece cut after one never splits a run: an ASCII
# letter other than the check digit's X, or an ideograph that is no numeral.
_RUN_ENDS = re.compile(
    "[A-WYZa-wyz"
    + "".join(
        f"{chr(low)}-{chr(high)}" if high > low else chr(low)
        for low, high in _ranges([cp for cp in range(0x4E00, 0xA000) if chr(cp) not in NUMERALS])
    )
    + "]"
)


def _pieces(text: str) -> Iterator[str]:
    """``text`` in pieces of about ``PIECE`` characters, each cut after a character that
    ends every run (the whole text when it is short or has no such character)."""
    start = 0
    while len(text) - start > PIECE:
        cut = _RUN_ENDS.search(text, start + PIECE)
        if cut is None:
            break
        yield text[start : cut.end()]
        start = cut.end()
    yield text[start:] if start else text


def read(text: str) -> list[Hit]:
    """``find`` without its prefilter on a text up to ``PIECE`` long: the same hits on any
    such text (a test holds them to it), at several times the cost on ordinary text."""
    compiled = _compiled()
    if _whole_text()["ignorable"].search(text):
        text = compiled["ignorable"].sub("", text)
    hits: dict[Hit, None] = {}
    budget = [MAX_CANDIDATES + len(text) // CANDIDATE_SPACING]
    exact, numbers = compiled["run"], _prefilters()["numbers"]
    pieces = _pieces(text)
    for piece in pieces:
        if piece is not text and not numbers.search(piece):
            continue
        for wide in _scanner().finditer(piece):
            # The wide run, read again with the exact separators (anything neither letter
            # nor digit): it may hold several runs, or none.
            for run in exact.finditer(wide.group()):
                hits.update(dict.fromkeys(_numbers(run.group(), budget)))
                if budget[0] < 0:
                    break
            if budget[0] < 0:
                break
        if budget[0] < 0:
            hits[Hit(CROWDED, "…")] = None
            break
    hits.update(dict.fromkeys(_emails(text)))
    return list(hits)
