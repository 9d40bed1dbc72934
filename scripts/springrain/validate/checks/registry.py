"""Rules, findings, and the registry of checks the validation engine walks.

A *rule* has a stable code (``pii.mobile``), a severity, a Chinese title, and Chinese and
English message templates with named slots; a *finding* is one rule applied at one place.
A *check* is a small object that declares the rules it may yield and what it inspects:

- ``entry``: one entry of the data directory that is not a record file (a stray);
- ``file``: one record file's bytes, which it parses (the engine has no parser of its own);
- ``record``: one parsed record, of the kinds it names;
- ``text``: every string of one record, or every cell of one table row, together;
- ``table``: the hand-kept tables, as a whole (they refer to each other);
- ``dataset``: everything at once (ids, references, duplicates, releases).

Adding a rule is one module: define the rules with ``rule``, write the check, decorate it
with ``@register`` (the package imports every module in ``validate/checks/``); and its test.
Tests assert ``(file, pointer, rule)`` so the wording can be improved freely.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, Literal, NamedTuple

Severity = Literal["error", "warning"]
Label = Callable[[str], tuple[str, str]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title_zh: str
    template_zh: str
    template_en: str

    def at(self, file: str, pointer: str = "", **slots: object) -> Finding:
        return Finding(
            file=file,
            pointer=pointer,
            rule=self.code,
            severity=self.severity,
            message_zh=self.template_zh.format(**slots),
            message_en=self.template_en.format(**slots),
        )


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    pointer: str
    rule: str
    severity: Severity
    message_zh: str
    message_en: str

    def as_dict(self) -> dict[str, str]:
        return {
            "file": self.file,
            "pointer": self.pointer,
            "rule": self.rule,
            "severity": self.severity,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, title_zh: str, zh: str, en: str) -> Rule:
    """Define a rule once; its code must be new."""
    if code in RULES:
        raise ValueError(f"rule {code} defined twice")
    RULES[code] = Rule(code, severity, title_zh, zh, en)
    return RULES[code]


# ---------------------------------------------------------------- what checks inspect


@dataclass
class RecordContext:
    """One parsed record (a dict that passed the file check) and what checks need of it."""

    file: str  # display path, e.g. data/projects/GD/GD-2025-0001.json
    kind: str
    record: dict[str, Any]
    today: dt.date
    allow_demo: bool
    label: Label  # JSON pointer → (Chinese, English) field label


@dataclass
class TextContext:
    """Every string of one record (with its JSON pointer) or every cell of one table row
    (pointer ``/<row>/<column>``), to be checked separately and together.

    Given a ``record``, its strings are walked only as far as a check needs: the texts for
    the checks over all of them at once, the pointers only for a text that breaks a rule."""

    file: str
    label: Label
    # Pointers whose value is a code, not free text (a credit code is 18 characters that
    # could look like other numbers); a check that knows better may still look at them.
    codes: frozenset[str] = frozenset()
    given: Sequence[tuple[str, str]] | None = None  # the strings, when there is no record
    record: Any = None
    # A record's top-level fields not read together with the others: all but the words a
    # person writes (ids, dates, vocabulary codes: digits beside a text only by the order
    # of the fields, never a number the submitter split).
    apart: frozenset[str] = frozenset()

    # Between the strings: not a letter or digit, so a number split across two fields reads
    # as one; and allowed inside free text, so it never hides a control character.
    SEPARATOR: ClassVar[str] = "\n"
    # Between the strings where their first and last characters are looked at: a character
    # no string may hold (the control-character rule refuses it), so it marks a string's
    # ends and nothing else.
    EDGE: ClassVar[str] = "\x00"

    @cached_property
    def _pairs(self) -> tuple[Sequence[tuple[str, str]], Sequence[tuple[str, str]]]:
        if self.given is not None:
            return self.given, self.given
        from springrain.validate.checks.walk import walk_strings

        return walk_strings(self.record)

    @property
    def strings(self) -> Sequence[tuple[str, str]]:
        """Every string with its pointer, object keys included."""
        return self._pairs[0]

    @property
    def content(self) -> Sequence[tuple[str, str]]:
        """The strings that carry content: all but the object keys that are plain field
        names (snake_case, which hold nothing of their own)."""
        return self._pairs[1]

    @cached_property
    def _texts(self) -> tuple[list[str], list[str]]:
        if self.given is not None:
            texts = [text for _, text in self.given]
            kept = [text for pointer, text in self.given if pointer not in self.codes]
            return texts, kept
        from springrain.validate.checks.walk import walk_texts

        return walk_texts(
            self.record, frozenset(code.lstrip("/") for code in self.codes), self.apart
        )

    @cached_property
    def joined(self) -> str:
        """The content texts joined by ``SEPARATOR``."""
        return self.SEPARATOR.join(self._texts[0])

    @cached_property
    def edges(self) -> str:
        """The content texts joined by ``EDGE``."""
        return self.EDGE.join(self._texts[0])

    @cached_property
    def together(self) -> str:
        """The texts but the codes, joined by ``SEPARATOR``, read together for what is
        split across them; a record's fields ``apart`` after its words, each where nothing
        is read across (``walk.APART``)."""
        return self.SEPARATOR.join(self._texts[1])


@dataclass
class TableContext:
    """The hand-kept tables present (checked together: they refer to each other)."""

    data_dir: Any
    names: Sequence[str]
    display: Callable[[Any], str]  # a path → as a user would type it


@dataclass
class DatasetContext:
    """What checks across records need: a summary of every record, the programmes, and
    the data directory (for checks that compare it with the last release)."""

    summaries: list[Summary]
    programmes: dict[str, str] | None
    data_dir: Any
    named: set[str] | None  # when only some files were named, report only on those


class Summary(NamedTuple):
    """What the dataset checks need from one record (a tuple: one is made per record and
    sent back from the worker processes)."""

    file: str
    kind: str
    id: str | None
    province: str | None = None
    programme: str | None = None
    project: str | None = None
    enterprise: str | None = None
    institution: str | None = None
    title: str | None = None


class Check:
    """A check: the rules it may yield and what it inspects (see the module docstring)."""

    inspects: ClassVar[str]
    rules: ClassVar[tuple[Rule, ...]]
    kinds: ClassVar[tuple[str, ...] | None] = None  # record checks: the kinds, None for all

    def check(self, context: Any) -> Iterable[Finding]:
        raise NotImplementedError

    def prepare(self) -> None:
        """Work done once per process (compiling patterns and validators): the engine calls
        it before it forks its workers, so each inherits the result instead of redoing it."""


INSPECTS = ("entry", "file", "record", "text", "table", "dataset")
CHECKS: list[Check] = []


def register(cls: type[Check]) -> type[Check]:
    """Add one instance of ``cls`` to the registry (a class decorator)."""
    if cls.inspects not in INSPECTS:
        raise ValueError(f"{cls.__name__} inspects {cls.inspects!r}, not one of {INSPECTS}")
    for existing in CHECKS:
        if type(existing) is cls:
            raise ValueError(f"{cls.__name__} registered twice")
    CHECKS.append(cls())
    return cls


def checks(inspects: str, kind: str | None = None) -> list[Check]:
    """The registered checks that inspect ``inspects`` (record checks: of ``kind``)."""
    return [
        check
        for check in CHECKS
        if check.inspects == inspects
        and (kind is None or check.kinds is None or kind in check.kinds)
    ]
