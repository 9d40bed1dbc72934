"""The concrete layout of each Fujian annex: the annex's rows (``annexes``) filled in with the
form elements of the schemas (``springrain.intake.forms``), and the tick boxes both ways.

One ``Answer`` per label/answer pair: its printed label (the annex's own where the mapping
gives one, else the field's title), every spelling an import accepts, the form element whose
answer it is, how the answer is written (boxes, a dropdown, free text …) and its choices.
The fields a record needs that the annex does not ask form the *supplement*, derived here
from the schemas: the template prints them under the table, and an import of an official
annex without them lists them for the regulator to complete.

The writer (``writer``) and the importer (``fujian``) both read these layouts, so the
template and what the importer recognises cannot drift apart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

from springrain.intake.forms import Element, checkbox_option, elements
from springrain.intake.sheets.annexes import (
    ANNEXES,
    BOX,
    CHECKBOX_CHOICES,
    PERSONAL,
    PROJECT_INSTITUTION,
    PROJECT_NAME,
    TICK,
    TICKED,
    UNTICKED,
    Annex,
    Group,
    Slot,
    class_aliases,
)
from springrain.intake.sheets.records import compare_key

# How an answer is written on the sheet.
PERSONAL_STYLE = "personal"  # never read
LOOKUP = "lookup"  # names a project of the catalogue (annex 2)
CHECKBOX = "checkbox"  # a pledge: □同意 □不同意
BOXES = "boxes"  # one choice, printed as boxes (and offered in a dropdown)
CHOICE = "choice"  # one choice from a dropdown
MULTI = "multi"  # several choices, printed as boxes
WIDGET_STYLES = {
    "input": "line",
    "textarea": "text",
    "number": "number",
    "date": "date",
    "lines": "lines",
    "list": "list",
}
# The more choices a box list has, the more of them go on one line.
BOXES_PER_LINE = 4


@dataclass(frozen=True)
class Answer:
    """One label cell and its answer cell, as printed and as read."""

    field: str  # form element id, or PERSONAL / PROJECT_NAME / PROJECT_INSTITUTION
    kind: str  # record kind the answer belongs to ("" for personal and lookup cells)
    label: str  # printed label
    accepted: tuple[str, ...]  # label keys an import recognises
    style: str
    element: Element | None = None
    options: tuple[tuple[str, str], ...] = ()  # (code, printed text)
    hint: str = ""  # printed prompt: under the label in the template, stripped from answers
    unit: str = ""
    in_block: bool = False  # one per cooperation in annex 2

    @property
    def label_en(self) -> str:
        if self.element is not None:
            return str(self.element.schema.get("x-en", self.element.id))
        return {PROJECT_NAME: "project name", PROJECT_INSTITUTION: "submitting institution"}.get(
            self.field, "personal contact"
        )

    @property
    def required(self) -> bool:
        return bool(self.element and self.element.required)


@dataclass(frozen=True)
class GroupLayout:
    label: str
    answers: tuple[Answer, ...]
    hint: str
    whole: Answer | None  # the answer one cell for the whole group fills
    numbered: bool


RowLayout = tuple[Answer, ...] | GroupLayout


@dataclass(frozen=True)
class FormLayout:
    annex: Annex
    rows: tuple[RowLayout, ...]
    block: tuple[RowLayout, ...]
    supplement: tuple[Answer, ...]  # the catalogue's fields the annex lacks, once per form
    block_supplement: tuple[Answer, ...]  # … and once per cooperation
    embedded: dict[str, tuple[Answer, str]]  # field → (answer it is written in, option code)

    def answers(self) -> list[Answer]:
        """Every answer once, in print order (the block's once)."""
        found: list[Answer] = []
        for row in (*self.rows, *self.block):
            found += list(row.answers if isinstance(row, GroupLayout) else row)
        found += list(self.supplement) + list(self.block_supplement)
        return found

    def groups(self) -> list[GroupLayout]:
        return [row for row in (*self.rows, *self.block) if isinstance(row, GroupLayout)]

    @property
    def kind(self) -> str:
        return self.annex.kinds[0]

    @property
    def block_kind(self) -> str | None:
        return self.annex.kinds[1] if len(self.annex.kinds) > 1 else None


# ---------------------------------------------------------------- label keys

_NUMBERING = re.compile(r"^(?:[(][0-9]+[)]|[0-9]+[.、])")
_BRACKETED = re.compile(r"\([^()]*\)")


@lru_cache(maxsize=4096)  # a sheet repeats its shared strings: each is keyed once
def label_key(text: str) -> str:
    """Comparison form of a label cell: NFKC, no whitespace, no leading numbering or
    required-mark, no trailing colon or question mark."""
    key = compare_key(text).lstrip("*")
    key = _NUMBERING.sub("", key)
    return key.rstrip(":?")


def base_key(key: str) -> str:
    """A label key without its bracketed explanations (产品分类(Ⅰ/Ⅱ/Ⅲ类…) → 产品分类)."""
    return _BRACKETED.sub("", key)


# ---------------------------------------------------------------- building a layout


def _options(el: Element, slot: Slot | None) -> tuple[tuple[str, str], ...]:
    if el.widget == "checkbox":
        return tuple((choice, choice) for choice in CHECKBOX_CHOICES[el.id])
    if slot is not None and slot.print_codes:
        return tuple((code, code) for code, _ in el.options)
    return el.options


def _style(el: Element, slot: Slot | None) -> str:
    if el.widget == "checkbox":
        return CHECKBOX
    if el.widget == "multi":
        return MULTI
    if el.widget in ("dropdown", "boolean"):
        return BOXES if slot is not None and slot.boxes else CHOICE
    return WIDGET_STYLES[el.widget]


def _answer(slot: Slot | None, el: Element, kind: str, in_block: bool, label: str = "") -> Answer:
    printed = label or (slot.label if slot and slot.label else el.label)
    spellings = [printed, el.label, *(slot.also if slot else ())]
    return Answer(
        field=el.id,
        kind=kind,
        label=printed,
        accepted=tuple(dict.fromkeys(label_key(s) for s in spellings)),
        style=_style(el, slot),
        element=el,
        options=_options(el, slot),
        hint=slot.hint if slot else "",
        unit=slot.unit if slot else "",
        in_block=in_block,
    )


def _special(slot: Slot, in_block: bool) -> Answer:
    style = PERSONAL_STYLE if slot.field == PERSONAL else LOOKUP
    spellings = [slot.label, *slot.also]
    return Answer(
        field=slot.field if slot.field != PERSONAL else f"{PERSONAL}:{slot.label}",
        kind="",
        label=slot.label,
        accepted=tuple(dict.fromkeys(label_key(s) for s in spellings)),
        style=style,
        in_block=in_block,
    )


@cache
def layout(name: str) -> FormLayout:
    """The layout of annex ``name`` (annex1, annex2)."""
    annex = ANNEXES[name]
    kind = annex.kinds[0]
    block_kind = annex.kinds[1] if len(annex.kinds) > 1 else None
    by_id = {el.id: (el, k) for k in annex.kinds for el in elements(k)}
    placed: set[str] = set()

    def answer(slot: Slot, in_block: bool, label: str = "") -> Answer:
        if slot.field not in by_id:
            return _special(slot, in_block)
        el, owner = by_id[slot.field]
        placed.add(el.id)
        return _answer(slot, el, owner, in_block, label)

    def rows(source: tuple, in_block: bool) -> tuple[RowLayout, ...]:
        made: list[RowLayout] = []
        for row in source:
            if isinstance(row, Group):
                parts = tuple(
                    answer(
                        slot,
                        in_block,
                        f"{number}.{by_id[slot.field][0].label}" if row.numbered else "",
                    )
                    for number, slot in enumerate(row.slots, start=1)
                )
                whole = next((a for a in parts if a.field == row.whole), None)
                made.append(GroupLayout(row.label, parts, row.hint, whole, row.numbered))
            else:
                made.append(tuple(answer(slot, in_block) for slot in row))
        return tuple(made)

    main = rows(annex.rows, False)
    block = rows(annex.block, True)
    placed.update(annex.embedded)
    supplement = tuple(
        _answer(None, el, kind, False)
        for el in elements(kind)
        if el.id not in placed and el.widget != "checkbox"
    )
    shared = tuple(
        _answer(None, el, block_kind, False)
        for el in (elements(block_kind) if block_kind else ())
        if el.id in annex.shared
    )
    block_supplement = tuple(
        _answer(None, el, block_kind, True)
        for el in (elements(block_kind) if block_kind else ())
        if el.id not in placed and el.id not in annex.shared
    )
    made = FormLayout(annex, main, block, supplement + shared, block_supplement, {})
    for field_id, (host, code) in annex.embedded.items():
        host_answer = next(a for a in made.answers() if a.field == host)
        made.embedded[field_id] = (host_answer, code)
    return made


def pledge(answer: Answer) -> str:
    """The words a checkbox answer's boxes follow (the commitment's official sentence)."""
    if answer.element is None or answer.field != "commitment":
        return ""
    return checkbox_option(answer.element)


# ---------------------------------------------------------------- boxes, both ways


def boxes(
    options: tuple[tuple[str, str], ...],
    chosen: frozenset[str] = frozenset(),
    notes: dict[str, str] | None = None,
) -> str:
    """□/☑ choices as the annexes print them; ``notes``: text in brackets after a choice
    (□其他（　　）)."""
    notes = notes or {}
    pieces = []
    for code, text in options:
        mark = TICK if code in chosen else BOX
        piece = f"{mark}{text}"
        if code in notes:
            piece += f"（{notes[code] or '　　'}）"
        pieces.append(piece)
    per_line = len(pieces) if len(pieces) <= 7 else BOXES_PER_LINE
    lines = [" ".join(pieces[i : i + per_line]) for i in range(0, len(pieces), per_line)]
    return "\n".join(lines)


_MARK = re.compile(f"[{re.escape(TICKED + UNTICKED)}]")
_SEPARATORS = re.compile(r"[,，;；\n]+")
_EDGE = " \t\n　、，,;；。.:："


@dataclass
class Picked:
    """What an answer cell says for a choice: the codes chosen, notes, and what is unclear."""

    codes: list[str]
    notes: dict[str, str]
    unknown: list[str]  # pieces that name no choice
    lead: str  # text before the first box
    boxed: bool  # the answer was written with boxes
    # Choices written in (□其他（动物实验）) but left unticked: chosen or not, no one can tell.
    unticked: list[str] = field(default_factory=list)
    # Ticks with no choice of their own (□无源☑ in a row printed box-first): which choice
    # they tick, no one can tell either.
    stray_ticks: int = 0


def _match(answer: Answer, piece: str, note_code: str | None) -> tuple[str | None, str]:
    """The code ``piece`` names (and a note in brackets after the choice that takes one)."""
    key = compare_key(piece).strip(_EDGE)
    if not key:
        return None, ""
    texts: list[tuple[str, str]] = []
    labels = dict(answer.element.options) if answer.element else {}
    for code, printed in answer.options:
        for text in (printed, code, labels.get(code, "")):
            if text:
                texts.append((compare_key(text), code))
    for text, code in texts:
        if key == text:
            return code, ""
    if answer.field == "product_class" and key in class_aliases():
        return class_aliases()[key], ""
    if note_code is not None:
        for text, code in texts:
            rest = key[len(text) :] if code == note_code and key.startswith(text) else ""
            note = piece.strip(_EDGE).strip()  # and any other white space (U+00A0, U+2009)
            if rest.startswith("(") and rest.endswith(")"):
                # The note opens at the first bracket of any width: it may hold another
                # width itself, 其他（动物实验(大鼠)阶段）.
                start = _first_of(note, "(")
                if start < 0:
                    continue  # no bracket of its own (⑴): not read as a note
                if not _one_group(rest):  # 其他(动物实验)(大鼠): kept as written
                    return code, note[start:].strip("　 ")
                return code, note[start + 1 : -1].strip("　 ")
            colon = _first_of(note, ":") if rest.startswith(":") else -1
            if colon >= 0:
                # Or after a colon of any width, as people write it: 其他：动物实验.
                return code, note[colon + 1 :].strip(_EDGE)
    return None, ""


def _first_of(text: str, char: str) -> int:
    """Where ``text`` first holds ``char`` in any width or form (（ ( ﹙, ： : ﹕), as the
    comparison key's NFKC makes them one; -1 when no character of it is one alone (⑴)."""
    return next((i for i, c in enumerate(text) if unicodedata.normalize("NFKC", c) == char), -1)


def _one_group(text: str) -> bool:
    """Whether ``text`` (brackets of one width, as ``compare_key`` makes them) is one group
    in brackets, its first bracket closed by its last."""
    depth = 0
    for index, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0 and index < len(text) - 1:
            return False
    return depth == 0


def pick(answer: Answer, text: str, note_code: str | None = None) -> Picked:
    """Read a choice answer: ticked boxes (☑有源 □无源 …) or the choices written out."""
    marks = list(_MARK.finditer(text))
    if not marks:
        pieces = [p for p in _SEPARATORS.split(text) if p.strip(_EDGE)]
        if answer.style != MULTI:
            pieces = [text] if text.strip(_EDGE) else []
        codes, notes, unknown = [], {}, []
        for piece in pieces:
            code, note = _match(answer, piece, note_code)
            if code is None and answer.style == MULTI and "、" in piece:
                parts = [_match(answer, p, note_code)[0] for p in piece.split("、")]
                if all(parts):
                    codes += [p for p in parts if p]
                    continue
            if code is None:
                unknown.append(piece.strip(_EDGE))
            else:
                codes.append(code)
                if note:
                    notes[code] = note
        return Picked(list(dict.fromkeys(codes)), notes, unknown, "", False)
    lead = text[: marks[0].start()].strip(_EDGE)
    # Each box is printed before its choice (□有源 □无源); some write it after (有源□ 无源☑).
    # They are read that way when a choice comes first, nothing follows the last box, and
    # no box touches the choice after it (是 ☑否 □ is told apart from neither reading).
    after = (
        bool(lead)
        and not text[marks[-1].end() :].strip(_EDGE)
        and all(text[mark.end() : mark.end() + 1] in ("", *_EDGE) for mark in marks)
        and _match(answer, lead, note_code)[0] is not None
    )
    if after:
        lead = ""
    codes, notes, unknown, unticked = [], {}, [], []
    stray_ticks = 0
    for index, mark in enumerate(marks):
        if after:
            piece = text[marks[index - 1].end() if index else 0 : mark.start()]
        else:
            end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
            piece = text[mark.end() : end]
        code, note = _match(answer, piece, note_code)
        if mark.group() in UNTICKED:
            # An unticked box must still be one of the choices, with nothing written in it:
            # text after it or in its brackets would otherwise be lost unseen.
            if code is None and piece.strip(_EDGE):
                unknown.append(piece.strip(_EDGE))
            elif note:
                unticked.append(piece.strip(_EDGE))
            continue
        if code is None:
            if piece.strip(_EDGE):
                unknown.append(piece.strip(_EDGE))
            else:
                stray_ticks += 1
            continue
        codes.append(code)
        if note:
            notes[code] = note
    return Picked(list(dict.fromkeys(codes)), notes, unknown, lead, True, unticked, stray_ticks)


def strip_hint(text: str, hints: tuple[str, ...]) -> str:
    """``text`` without a printed prompt it starts with (the annex prints prompts in the
    answer cells, and people type after them)."""
    for hint in hints:
        bare = compare_key(hint).strip("()")
        wanted = {bare, f"({bare})"}
        wanted |= {base_key(w) for w in wanted if base_key(w)}
        limit = min(len(text), 3 * len(hint) + 8)
        for end in range(limit, 0, -1):
            if compare_key(text[:end]) in wanted:
                return text[end:].lstrip(_EDGE)
    return text
