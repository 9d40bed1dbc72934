"""What the site's web form needs, in one generated spec: the forms, the rules' messages, the
contact-data detector's definition, and where each answer goes in the official annexes.

The web form (``site/static/webform.js``) asks what the GitHub issue forms ask, element for
element (``intake.forms``), checks the answers as intake and the validator will, and hands
them on as a prefilled issue form or as a filled annex file. Everything it knows comes from
here, so nothing is written twice:

- the elements of each form with their labels, widgets, choices and pledges, and the limits
  their schema sets (length, pattern, range, number of items), each with the message the
  validator gives for it. The messages are not copied: each is *made* by the code that makes
  it (``validate.checks.schema.describe`` for a schema keyword, ``intake.issues.answer_value``
  for an answer intake cannot read), from an answer built to break that one limit, with
  sentinel values (a length of 100003, an item 104729 …) turned back into slots ({length},
  {n} …) for the browser to fill;
- every registered rule's Chinese template (``validate.checks.RULES``), for the rules the
  browser applies itself (contact data, invisible characters, formula starts, stage note,
  future dates, credit code);
- the contact-data detector (``validate.contacts``): its patterns and constants, the zero of
  every run of Unicode decimal digits, the whitespace Python's ``re`` reads as ``\\s``;
- per annex, a plan of its cells taken from the template the writer makes, read back by the
  importer's own ``locate``: which cell holds which element's answer, and where its tick
  boxes are. The blank templates themselves are generated beside the spec (as stored zips,
  which the browser rewrites without a compression library).

``springrain generate`` writes the spec and the templates to ``site/static/webform/``;
``springrain generate --check`` and ``tests/test_generated.py`` fail when they are stale.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from jsonschema.exceptions import ValidationError
from openpyxl.utils import get_column_letter

from springrain.intake import forms, issues
from springrain.intake.forms import FORM_META, Element, checkbox_option, form_elements, form_file
from springrain.intake.sheets import annexes, formsheet, layout, writer
from springrain.intake.sheets.workbook import read_workbook
from springrain.model.schemas import (
    deref,
    field_label,
    fields,
    key_order,
    record_schema,
    vocabulary_labels,
    vocabulary_spellings,
)
from springrain.validate import contacts
from springrain.validate.checks import RULES, pii
from springrain.validate.checks import dates as date_rules
from springrain.validate.checks import fields as field_rules
from springrain.validate.checks import schema as schema_rules
from springrain.validate.checks import text as text_rules
from springrain.validate.checks.registry import TextContext
from springrain.validate.checks.walk import APART
from springrain.validate.engine import CODES, read_apart

SPEC = "spec.json"
# The forms a submitter fills in (a correction names a record; it stays on GitHub).
WEB_FORMS = tuple(form for form in forms.FORMS if form != "correction")
# GitHub refuses very long addresses (about 8 KB); a longer one becomes a copied body.
MAX_URL = 8000
# Sentinels: values no limit, label or answer holds, replaced by slots once a message is made.
LENGTH = 100003  # a text or list this long breaks any maxLength / maxItems
FIRST_INDEX, SECOND_INDEX = 104728, 7918  # list positions: shown as 第104729项, 第7919项
LINE = 99991  # the line of a list answer intake complains about
BEYOND = 987654321  # a number beyond every minimum and maximum
VALUE = "\ue000"  # an answer intake cannot read (a private-use character)
UNREAL_DATE = "2023-02-30"  # written as a date, a day that never was
SLOTS = {
    str(LENGTH): "{length}",
    str(FIRST_INDEX + 1): "{n}",
    str(SECOND_INDEX + 1): "{m}",
    str(LINE): "{line}",
    str(BEYOND): "{value}",
    VALUE: "{value}",
}
# The message the web form adds of its own: intake splits a body at the form's headings.
HEADING_IN_ANSWER = (
    "「{field}」中有一行“{line}”与本表的栏目标题相同，提交到 GitHub 后会被当成一个新栏目。"
    "请改写这一行（例如去掉开头的 ###）。"
)
# Fields the record checks of ``validate.checks.fields`` read (held equal there by a test).
USCC_FIELD = "credit_code"
STAGE_FIELD, STAGE_NOTE_FIELD = "stage", "stage_note"
ZIP_TIME = writer.ZIP_TIME
SHEET_PART = "xl/worksheets/sheet1.xml"


# ---------------------------------------------------------------- messages, made not copied


def _slotted(message: str) -> str:
    """``message`` with its sentinels turned into slots (a minus sign stays with a number)."""
    for sentinel, slot in SLOTS.items():
        message = message.replace("-" + sentinel, slot).replace(sentinel, slot)
    return message


def _pointer(path: tuple[str, ...]) -> tuple[Any, ...]:
    """A schema path with ``*`` for list items as a record path with sentinel positions."""
    indexes = iter((FIRST_INDEX, SECOND_INDEX))
    return tuple(next(indexes) if part == "*" else part for part in path)


def _describe(kind: str, path: tuple[str, ...], keyword: str, value: Any, instance: Any) -> str:
    """The validator's Chinese message for ``keyword`` broken at ``path``, as a template."""
    node = _schema_at(kind, path)
    error = ValidationError(
        "probe",
        validator=keyword,
        validator_value=value,
        instance=instance,
        schema=node,
        path=deque(_pointer(path)),
    )
    found = schema_rules.describe("", kind, error)
    return _slotted(found[0].message_zh)


def _required(kind: str, path: tuple[str, ...]) -> str:
    parent, name = path[:-1], path[-1]
    error = ValidationError(
        "probe",
        validator="required",
        validator_value=[name],
        instance={},
        schema=_schema_at(kind, parent),
        path=deque(_pointer(parent)),
    )
    return _slotted(schema_rules.describe("", kind, error)[0].message_zh)


def _schema_at(kind: str, path: tuple[str, ...]) -> dict[str, Any]:
    node = deref(kind, record_schema(kind))
    for part in path:
        node = deref(kind, node["items"] if part == "*" else node["properties"][part])
    return node


def _label(kind: str, path: tuple[str, ...]) -> str:
    pointer = "".join(f"/{part}" for part in _pointer(path))
    return _slotted(field_label(kind, pointer)[0])


# The schema keywords the browser checks, each with a value that breaks it.
KEYWORDS: dict[str, Callable[[], Any]] = {
    "maxLength": lambda: "x" * LENGTH,
    "maxItems": lambda: [None] * LENGTH,
    "uniqueItems": lambda: ["x", "x"],
    "maximum": lambda: BEYOND,
    "minimum": lambda: -BEYOND,
    "pattern": lambda: VALUE,
}


def _walk(
    kind: str, path: tuple[str, ...], node: dict[str, Any]
) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every schema node under an element's field, with its path (``*`` for list items)."""
    yield path, node
    items = node.get("items")
    if isinstance(items, dict):
        yield from _walk(kind, (*path, "*"), deref(kind, items))
    for name, child in node.get("properties", {}).items():
        yield from _walk(kind, (*path, name), deref(kind, child))


def _checks(kind: str, el: Element) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The schema limits under an element, each with the validator's message, and the label
    the validator gives each place that holds text."""
    checks: list[dict[str, Any]] = []
    labels: dict[str, str] = {}
    for path, node in _walk(kind, el.path, _schema_at(kind, el.path)):
        at = path[len(el.path) :]
        if node.get("type") in ("string", "integer", "number") or "enum" in node:
            labels["/".join(at)] = _label(kind, path)
        for keyword, breaking in KEYWORDS.items():
            if keyword not in node or (keyword == "uniqueItems" and node[keyword] is not True):
                continue
            if "enum" in node and keyword == "pattern":
                continue  # a choice from a list: the list is the check
            checks.append(
                {
                    "at": list(at),
                    "keyword": keyword,
                    "value": node[keyword],
                    "message": _describe(kind, path, keyword, node[keyword], breaking()),
                }
            )
    return checks, labels


def _problems(el: Element, raw: str) -> list[str]:
    problems: list[issues.Problem] = []
    issues.answer_value(el, raw, problems)
    return [p.message_zh for p in problems]


def _intake_messages(el: Element) -> dict[str, Any]:
    """What intake says of an answer it cannot read, made by intake from a bad answer."""
    if el.widget == "date":
        # A date written as one that does not exist gets words of its own.
        unreal = _problems(el, UNREAL_DATE)[0].replace(UNREAL_DATE, VALUE)
        return {"date": _slotted(_problems(el, VALUE)[0]), "date_unreal": _slotted(unreal)}
    if el.widget == "number":
        return {el.widget: _slotted(_problems(el, VALUE)[0])}
    if el.widget != "list":
        return {}
    required = [p for p in el.parts if p.required]
    before = "\n" * (LINE - 1)
    messages: dict[str, Any] = {
        "parts": {
            str(count): _slotted(_problems(el, before + " | ".join(["甲"] * count))[0])
            for count in range(1, len(required))
        },
        "too_many": _too_many(el, before),
        "vocab": {},
        "integer": {},
    }
    for index, part in enumerate(el.parts):
        if not (part.vocab or part.schema.get("type") == "integer"):
            continue
        pieces = [
            next(iter(vocabulary_labels(p.vocab).values())) if p.vocab else "甲" for p in el.parts
        ]
        pieces[index] = VALUE
        made = _problems(el, before + " | ".join(pieces))
        title = "「" + part.title_zh + "」"
        message = next(m for m in made if title in m)
        messages["vocab" if part.vocab else "integer"][part.name] = _slotted(message)
    return messages


def _too_many(el: Element, before: str) -> str:
    """Intake's message for a line of more parts than the form has, its count a slot."""
    count = len(el.parts) + 1
    message = _slotted(_problems(el, before + " | ".join(["甲"] * count))[0])
    counted = f"有{count}个部分"
    assert message.count(counted) == 1, message
    return message.replace(counted, "有{count}个部分")


@cache
def short_limit() -> int:
    """How many characters of an answer intake quotes in a message (found by asking it)."""
    message = _problems(_any_element("date"), "a" * 400)[0]
    quoted = re.search("a+", message)
    assert quoted is not None, message
    return len(quoted.group())


def _any_element(widget: str) -> Element:
    return next(el for form in WEB_FORMS for el in form_elements(form) if el.widget == widget)


def body_too_long() -> str:
    """Intake's message for a body over GitHub's limit (intake checks it before anything)."""
    outcome = issues.run_intake("project", "x" * LENGTH, Path("/nonexistent"))
    return _slotted(outcome.problems[0].message_zh)


# ---------------------------------------------------------------- the forms


def _required_unless(kind: str, name: str) -> dict[str, Any] | None:
    """A field the schema requires unless another field has one of some values
    (``if: {properties: {X: {enum}}, required: [X]}, else: {required: [name]}``)."""
    schema = record_schema(kind)
    condition, otherwise = schema.get("if"), schema.get("else")
    if not (isinstance(condition, dict) and isinstance(otherwise, dict)):
        return None
    if name not in otherwise.get("required", ()):
        return None
    (other, rule), *_ = condition["properties"].items()
    return {"field": other, "values": list(rule["enum"])}


def _element(kind: str, el: Element) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": el.id,
        "label": el.label,
        "widget": el.widget,
        "required": el.required,
        "description": el.description,
        "path": list(el.path),
        "options": [list(option) for option in el.options],
    }
    if el.widget == "checkbox":
        item["option"] = checkbox_option(el)
    if el.widget == "number":
        item["integer"] = el.schema.get("type") == "integer"
    if el.parts:
        item["parts"] = [
            {
                "name": part.name,
                "title": part.title_zh,
                "required": part.required,
                # [code, label, other spellings…] (model.schemas.vocabulary_spellings)
                "options": [list(spelled) for spelled in vocabulary_spellings(part.vocab).values()]
                if part.vocab
                else [],
                "list": part.is_list,
                "integer": part.schema.get("type") == "integer",
            }
            for part in el.parts
        ]
    unless = _required_unless(kind, el.path[-1]) if len(el.path) == 1 else None
    if unless:
        item["required_unless"] = unless
    item["checks"], item["labels"] = _checks(kind, el)
    item["messages"] = {"required": _required(kind, el.path), **_intake_messages(el)}
    return item


def _form(form: str) -> dict[str, Any]:
    meta = FORM_META[form]
    return {
        "form": form,
        "name": meta["name"],
        "description": meta["description"],
        "title": meta["title"],
        "file": form_file(form),
        "annex": annex_of(form),
        "elements": [_element(form, el) for el in form_elements(form)],
        "together": _together(form),
    }


def _together(kind: str) -> dict[str, Any]:
    """How the validator reads a record's texts together for split contact data
    (``TextContext.together``): the canonical key order, the fields read as words, the
    codes left out, and what stands between the words and each other field."""
    return {
        "order": key_order(kind),
        "words": [f.name for f in fields(kind) if f.name not in read_apart(kind)],
        "codes": sorted(code.lstrip("/") for code in CODES.get(kind, ())),
        "apart": APART,
        "separator": TextContext.SEPARATOR,
    }


def annex_of(form: str) -> str:
    """The annex a form's answers are downloaded as (annex1: a project; annex2: the rest)."""
    return next(name for name, annex in annexes.ANNEXES.items() if form in annex.kinds)


# ---------------------------------------------------------------- patterns for JavaScript


@cache
def whitespace() -> str:
    """The characters Python's ``re`` reads as ``\\s`` (and ``str.strip`` strips)."""
    return "".join(chr(cp) for cp in range(0x110000) if chr(cp).isspace())


def _class(chars: str) -> str:
    return "".join(f"\\u{{{ord(c):x}}}" for c in chars)


def js_pattern(pattern: str) -> str:
    """A Python ``re`` pattern of ours as JavaScript (``u`` flag) reads it the same: ``\\s``
    spelled out as the characters Python means by it. Patterns with ``\\s`` inside a
    character class, ``\\d`` or ``\\w`` (Unicode in Python, ASCII in JavaScript) are refused."""
    out: list[str] = []
    in_class = escaped = False
    for char in pattern:
        if escaped:
            escaped = False
            if char in "dwDWS" or (char == "s" and in_class):
                raise ValueError(f"cannot translate \\{char} in {pattern!r}")
            out.append(f"[{_class(whitespace())}]" if char == "s" else "\\" + char)
            continue
        if char == "\\":
            escaped = True
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
    return "".join(out)


@cache
def digit_zeros() -> list[int]:
    """The zero of every run of Unicode decimal digits (category Nd), which JavaScript has no
    ``unicodedata.decimal`` for: a digit's value is its distance from its run's zero."""
    zeros = []
    for cp in range(0x110000):
        char = chr(cp)
        if unicodedata.category(char) == "Nd" and unicodedata.decimal(char) == 0:
            zeros.append(cp)
    for zero in zeros:  # Unicode keeps every run whole: ten digits in a row from the zero
        assert all(unicodedata.decimal(chr(zero + i)) == i for i in range(10))
    return zeros


def contact_spec() -> dict[str, Any]:
    """The detector's definition, for the browser's port of ``contacts.find``."""
    email = contacts._EMAIL.pattern.replace(r"\p{Han}", r"\p{Script=Han}")
    return {
        "unicode": unicodedata.unidata_version,
        "patterns": contacts.patterns(),
        "digit_zeros": digit_zeros(),
        "numerals": contacts.NUMERALS,
        "max_separators": contacts.MAX_SEPARATORS,
        "min_run": contacts.MIN_RUN,
        "max_groups": contacts.MAX_GROUPS,
        "max_digit_by_digit": contacts.MAX_DIGIT_BY_DIGIT,
        "max_candidates": contacts.MAX_CANDIDATES,
        "candidate_spacing": contacts.CANDIDATE_SPACING,
        "window_before": contacts.WINDOW_BEFORE,
        "window_after": contacts.WINDOW_AFTER,
        "at_forms": list(contacts._AT_FORMS),
        "dot_forms": list(contacts._DOT_FORMS),
        "spaced": js_pattern(contacts._SPACED.pattern),
        "dot_word": contacts._DOT_WORD.pattern,
        "email": email,
        "hash_email": contacts._HASH_EMAIL.pattern,
        "province_prefixes": sorted(contacts.province_prefixes()),
        "id_weights": list(contacts._ID_WEIGHTS),
        "id_check": contacts._ID_CHECK,
        "kinds": {
            "mobile": contacts.MOBILE,
            "landline": contacts.LANDLINE,
            "id_number": contacts.ID_NUMBER,
            "email": contacts.EMAIL,
            "crowded": contacts.CROWDED,
        },
        "whitespace": whitespace(),
        "reference": contacts.REFERENCE.pattern,
        # As code points: "@" and "." themselves in the page's data would read as an address.
        "named_references": {name: ord(char) for name, char in contacts.NAMED_REFERENCES.items()},
    }


def _uscc() -> dict[str, Any]:
    """The credit code's check character (GB 32100-2015) as python-stdnum computes it: its
    alphabet, and each position's weight found by asking it about a single 1."""
    from stdnum.cn import uscc

    alphabet = uscc._alphabet
    weights = []
    for position in range(17):
        code = "0" * position + "1" + "0" * (16 - position)
        check = alphabet.index(uscc.calc_check_digit(code))
        weights.append((len(alphabet) - check) % len(alphabet))
    return {
        "field": USCC_FIELD,
        "shape": field_rules.USCC_SHAPE.pattern,
        "alphabet": alphabet,
        "weights": weights,
    }


def _parsing() -> dict[str, Any]:
    """How intake reads an issue body, for the browser to read its answers the same way."""
    return {
        "no_response": issues.NO_RESPONSE,
        "part_separator": forms.PART_SEPARATOR,
        "owner_separator": forms.OWNER_SEPARATOR,
        "yes": forms.YES,
        "no": forms.NO,
        "bullet": js_pattern(forms.BULLET.pattern),
        "list_number": js_pattern(forms.LIST_NUMBER),
        "legal_form": js_pattern(forms.LEGAL_FORM),
        "legal_form_reach": forms.LEGAL_FORM_REACH,
        "numbered_marks": list(forms.NUMBERED_MARKS),
        "mark_run": forms.MARK_RUN,
        "chinese_numerals": forms.CHINESE_NUMERALS,
        "list_separators": forms.LIST_SEPARATORS,
        # [opening, closing], the first preferred (the page's JSON sorts keys)
        "list_quotes": list(forms.LIST_QUOTES.items()),
        "list_brackets": forms.LIST_BRACKETS,
        "no_item_words": list(forms.NO_ITEM_WORDS),
        "part_split": js_pattern(forms.PART_SPLIT.pattern),
        "number": issues._NUMBER.pattern,
        "number_unit": issues._NUMBER_UNIT.pattern,
        "year": issues.YEAR,
        "heading": js_pattern(issues._HEADING.pattern),
        "max_body": issues.MAX_BODY_CHARS,
        "max_url": MAX_URL,
        "short": short_limit(),
        "control": text_rules.CONTROL_CHARS.pattern,
        "zero_width": text_rules.ZERO_WIDTH_CHARS.pattern,
        "formula": "".join(sorted(text_rules.FORMULA_STARTS)),
        "unknown": "["
        + "".join(
            f"\\u{{{low:x}}}" + (f"-\\u{{{high:x}}}" if high > low else "")
            for low, high in text_rules.unknown_ranges()
        )
        + "]",
        "unicode": unicodedata.unidata_version,
        "stage": {
            "field": STAGE_FIELD,
            "value": field_rules.OTHER_STAGE,
            "note": STAGE_NOTE_FIELD,
        },
        "uscc": _uscc(),
    }


def _messages() -> dict[str, Any]:
    return {
        "rules": {
            code: {"title": rule.title_zh, "zh": rule.template_zh}
            for code, rule in sorted(RULES.items())
        },
        # The rules the browser applies itself, by what they are about.
        "codes": {
            "control": text_rules.CONTROL.code,
            "zero_width": text_rules.ZERO_WIDTH.code,
            "formula": text_rules.FORMULA.code,
            "unknown_char": text_rules.UNKNOWN_CHAR.code,
            "stage_note": field_rules.STAGE_NOTE.code,
            "uscc": field_rules.USCC.code,
            "date_future": date_rules.DATE_FUTURE.code,
            "credit_code_id": pii.CREDIT_CODE_ID.code,
            "split": pii.SPLIT.code,
            **{kind: rule.code for kind, rule in pii.RULE_OF.items()},
        },
        "what": {kind: zh for kind, (zh, _) in pii.WHAT.items()},
        "body_too_long": body_too_long(),
        "heading_in_answer": HEADING_IN_ANSWER,
    }


# ---------------------------------------------------------------- the annexes


def template_bytes(name: str) -> bytes:
    """The blank annex as the writer makes it, stored (not deflated) so that the browser
    can rewrite it without a compression library; members and times as written."""
    with tempfile.TemporaryDirectory(prefix="springrain-annex-") as work:
        path = writer.write_template(name, Path(work) / f"{name}.xlsx")
        return writer.rezipped(path.read_bytes(), zipfile.ZIP_STORED)


def _width(sheet: Any, row: int, column: int) -> int:
    """Characters across an answer cell (its merged columns), as the writer counts them."""
    merged = sheet.merged_range(row, column)
    first, last = (merged[1], merged[3]) if merged else (column, column)
    return sum(writer.WIDTHS[get_column_letter(c)] for c in range(first, last + 1))


def _ticks(answer: layout.Answer, blank: str) -> dict[str, int]:
    """Where each choice's box is in the blank answer text: the writer's own text with that
    choice ticked differs from the blank one at exactly that place."""
    found: dict[str, int] = {}
    for code, _ in answer.options:
        ticked = layout.boxes(answer.options, frozenset({code}))
        plain = layout.boxes(answer.options)
        at = blank.index(plain) + next(
            i for i, (a, b) in enumerate(zip(plain, ticked, strict=True)) if a != b
        )
        found[code] = at
    return found


def cell_plan(name: str) -> dict[str, Any]:
    """Which cell of the blank annex holds which element's answer, found by the importer
    reading the template; for tick boxes, where each choice's box is; for a note written
    inside a choice (□其他（　　）), the text around it."""
    form = layout.layout(name)
    with tempfile.TemporaryDirectory(prefix="springrain-annex-") as work:
        path = Path(work) / f"{name}.xlsx"
        path.write_bytes(template_bytes(name))
        sheet = read_workbook(path).visible[0]
    found = formsheet.locate(sheet, form)
    cells: list[dict[str, Any]] = []
    for placed in found.placed:
        answer = placed.target
        if not isinstance(answer, layout.Answer) or placed.answer_at is None:
            continue
        if answer.element is None:  # personal cells and names of projects: never filled
            continue
        row, column = placed.answer_at
        value = sheet.cells.get((row, column))
        blank = value.value if value is not None and isinstance(value.value, str) else ""
        cell: dict[str, Any] = {
            "element": answer.field,
            "form": answer.kind,
            "ref": f"{get_column_letter(column)}{row}",
            "row": row,
            "style": answer.style,
            "width": _width(sheet, row, column),
            "block": answer.in_block,
        }
        if answer.style in (layout.BOXES, layout.MULTI, layout.CHECKBOX):
            cell["text"] = blank
            cell["ticks"] = _ticks(answer, blank)
            if answer.style == layout.CHECKBOX:
                cell["accept"] = answer.options[0][0]  # the choice that gives the pledge
        else:
            cell["options"] = [list(option) for option in answer.options]
        for field_id, (host, code) in form.embedded.items():
            if host.field == answer.field:
                plain = layout.boxes(answer.options, notes={code: ""})
                noted = layout.boxes(answer.options, notes={code: VALUE})
                start = blank.index(plain)
                before, _, after = noted.partition(VALUE)
                cell["note"] = {
                    "element": field_id,
                    "before": blank[:start] + before,
                    "after": after + blank[start + len(plain) :],
                }
        cells.append(cell)
    return {
        "title": form.annex.title,
        "number": form.annex.number,
        "document": form.annex.document,
        "file": f"{name}.xlsx",
        "sheet": SHEET_PART,
        "tick": annexes.TICK,
        "line_height": writer.LINE_HEIGHT,
        "date": list(ZIP_TIME[:3]),
        "cells": cells,
    }


# ---------------------------------------------------------------- the whole spec


def spec() -> dict[str, Any]:
    return {
        "version": 1,
        "forms": [_form(form) for form in WEB_FORMS],
        "messages": _messages(),
        "parsing": _parsing(),
        "contacts": contact_spec(),
        "annexes": {name: cell_plan(name) for name in annexes.ANNEXES},
    }


def outputs() -> dict[str, bytes]:
    """File name under ``site/static/webform/`` → content."""
    files = {SPEC: orjson.dumps(spec(), option=orjson.OPT_INDENT_2) + b"\n"}
    for name in annexes.ANNEXES:
        files[f"{name}.xlsx"] = template_bytes(name)
    return files
