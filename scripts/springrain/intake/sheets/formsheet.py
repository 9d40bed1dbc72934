"""Reading a filled form sheet (the Fujian annexes): every label found wherever it sits and
in any order, the answer cell to its right, and each answer turned into checked text.

A label may also carry its answer in the same cell, after a colon or before tick boxes
(是否愿意……发布？□是 ☑否). Tick boxes are read as the annexes print them (□/☑, also √ ■ ✓),
or the choice written out; the prompts an annex prints in an answer cell are removed. Every
cell read is checked first (``cells``): formulas, formula-like text, control characters,
over-long text and personal contact data refuse it, with its cell. The personal cells of
the annexes are never read; hidden cells are never read; a cell that is neither a label,
an answer nor printed text is reported, as is an answer given twice differently.

The answers then become records in ``fujian``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from springrain.intake.sheets import layout as layouts
from springrain.intake.sheets.annexes import (
    DEMO_MARK,
    EXPORT_MARK,
    INSTRUCTIONS,
    OPTIONS_NOTE,
    SUPPLEMENT_HEADING,
)
from springrain.intake.sheets.cells import CellRefused, cell_text, excerpt, one_line
from springrain.intake.sheets.layout import (
    BOXES,
    CHECKBOX,
    CHOICE,
    LOOKUP,
    MULTI,
    PERSONAL_STYLE,
    Answer,
    FormLayout,
    GroupLayout,
    base_key,
    label_key,
    pick,
    pledge,
    strip_hint,
)
from springrain.intake.sheets.records import compare_key
from springrain.intake.sheets.report import FormReport, Line, at_cell, at_sheet
from springrain.intake.sheets.workbook import Cell, Sheet, Workbook, position

Target = Answer | GroupLayout
HEADING = "heading"
STATIC = "static"
# Where a label may hold its answer in the same cell: after a colon, or before tick boxes.
_INLINE = re.compile(r"[:：]|[" + re.escape(layouts.TICKED + layouts.UNTICKED) + "]")
_NUMBERED_PART = re.compile(r"(?:^|(?<=[\s;；。]))([(（]?)([1-9])([)）.、．])\s*")


def _mark_style(mark: re.Match[str]) -> bool:
    """How a number is written: in brackets ("(2)", "（2）", "2)") or not ("2.", "2、")."""
    return bool(mark.group(1)) or mark.group(3) in ")）"


# ---------------------------------------------------------------- recognising the form


@dataclass(frozen=True)
class Index:
    """Every label and printed text of one layout, by key."""

    labels: dict[str, Target]
    bases: dict[str, Target]  # bracket-free keys that name one label only
    statics: tuple[str, ...]
    title: str
    heading: str


def index(form: FormLayout) -> Index:
    labels: dict[str, Target] = {}
    for answer in form.answers():
        for key in answer.accepted:
            labels.setdefault(key, answer)
    for group in form.groups():
        labels[label_key(group.label)] = group  # a group's label may also be a field's title
    bases: dict[str, list[Target]] = {}
    for key, target in labels.items():
        base = base_key(key)
        if base and base != key:
            bases.setdefault(base, [])
            if target not in bases[base]:
                bases[base].append(target)
    annex = form.annex
    statics = [
        *annex.notes,
        *annex.decorations,
        INSTRUCTIONS,
        SUPPLEMENT_HEADING,
        OPTIONS_NOTE,
        EXPORT_MARK,
        DEMO_MARK,
        f"附件{annex.number}",
    ]
    return Index(
        labels,
        {base: found[0] for base, found in bases.items() if len(found) == 1 and base not in labels},
        tuple(label_key(text) for text in statics),
        label_key(annex.title),
        label_key(annex.block_heading) if annex.block_heading else "",
    )


def _lookup(idx: Index, text: str) -> Target | None:
    key = label_key(text)
    if not key:
        return None
    base = base_key(key)
    return idx.labels.get(key) or (idx.labels.get(base) or idx.bases.get(base) if base else None)


# How much of a cell is read to tell a label or a printed text: more than any of them
# holds, and no more, so a sheet of 320,000 cells of 30,000 characters costs no more than
# one of short cells (it took minutes: each cell's whole text was normalised, many times).
LABEL_SCAN = 512


def classify(idx: Index, text: str) -> tuple[str, Target | None, int | None]:
    """(what, target, inline answer) of one cell's text: a label (with where its answer
    starts when the cell holds both: an offset, so 320,000 such cells make no copies), the
    title, the block heading, a printed text, or "" (content)."""
    whole = len(text) <= LABEL_SCAN
    key = label_key(text[:LABEL_SCAN])
    if not key:
        return "", None, None
    if whole and idx.title and idx.title in key and len(key) <= len(idx.title) + 12:
        return STATIC, None, None
    if whole and idx.heading and key.startswith(idx.heading) and len(key) <= len(idx.heading) + 6:
        return HEADING, None, None
    target = _lookup(idx, text) if whole else None
    if target is not None:
        return "label", target, None
    for static in idx.statics:
        if (whole and key == static) or (
            len(static) >= 8 and key.startswith(static[: max(8, len(static) // 2)])
        ):
            return STATIC, None, None
    split = _INLINE.search(text, 0, LABEL_SCAN)
    if split and split.start() > 0:
        target = _lookup(idx, text[: split.start()])
        rest = split.end() if split.group() in ":：" else split.start()
        if target is not None:
            return "label", target, rest
    return "", None, None


def score(sheet: Sheet, form: FormLayout) -> int:
    """How much of ``form`` the sheet shows: 100 for its title, 1 per distinct label."""
    idx = index(form)
    found: set[int] = set()
    titled = False
    for (row, column), cell in sheet.cells.items():
        if not isinstance(cell.value, str) or sheet.is_hidden(row, column):
            continue
        what, target, _ = classify(idx, cell.value)
        if what == STATIC and idx.title in label_key(cell.value[:LABEL_SCAN]):
            titled = True
        elif what == "label" and isinstance(target, Answer) and target.style != PERSONAL_STYLE:
            found.add(id(target))
    return (100 if titled else 0) + len(found)


# ---------------------------------------------------------------- finding the answers


@dataclass
class Placed:
    """A label found on the sheet and where its answer is."""

    target: Target
    label_at: tuple[int, int]
    answer_at: tuple[int, int] | None  # None: the answer is in the label's cell (inline)
    inline: int | None  # where the answer starts in the label's cell, when it is there
    block: int


@dataclass
class Found:
    placed: list[Placed] = field(default_factory=list)
    unrecognised: list[tuple[int, int]] = field(default_factory=list)
    blocks: int = 1
    # One merged answer cell to the right of several labels: whose answer it is, no one
    # can tell (cell → the labels' cells).
    shared: dict[tuple[int, int], list[tuple[int, int]]] = field(default_factory=dict)
    # Cells under a merged range that hold something: Excel shows only the range's first
    # cell, so no one filling the form saw them.
    under_merge: list[tuple[int, int]] = field(default_factory=list)


def locate(sheet: Sheet, form: FormLayout) -> Found:
    """Every label of ``form`` on ``sheet``, its answer cell, and the cells that are neither."""
    idx = index(form)
    covered = sheet.merged_top_left()
    kinds: dict[tuple[int, int], tuple[str, Target | None, str | None]] = {}
    for (row, column), cell in sorted(sheet.cells.items()):
        if (row, column) in covered or sheet.is_hidden(row, column):
            continue
        if isinstance(cell.value, str):
            kinds[(row, column)] = classify(idx, cell.value)
        else:
            kinds[(row, column)] = ("", None, None)
    headings = sorted(pos[0] for pos, (what, _, _) in kinds.items() if what == HEADING)
    found = Found(blocks=max(1, len(headings)))
    used: set[tuple[int, int]] = set()

    def block_of(row: int) -> int:
        return max(sum(1 for heading in headings if heading <= row) - 1, 0)

    # Printed text: a label alone in its cell, the title, a heading, a note.
    printed = {
        pos
        for pos, (what, _, inline) in kinds.items()
        if what in (HEADING, STATIC) or (what == "label" and inline is None)
    }
    # First the labels alone in their cells, each with the cell to its right: that cell is
    # the answer, whatever it says ("项目负责人：王测试" typed as an answer stays an answer).
    answers: dict[tuple[int, int], tuple[int, int]] = {}  # answer cell → its label's cell
    for (row, column), (what, target, inline) in sorted(kinds.items()):
        if what != "label" or target is None or inline is not None:
            continue
        merged = sheet.merged_range(row, column)
        right = (row, (merged[3] if merged else column) + 1)
        right = covered.get(right, right)
        # The cell to the right is the answer unless it is printed text itself (an empty
        # answer), or hidden: hidden cells are never read (hidden_lines reports them).
        right_is_answer = right not in printed and not sheet.is_hidden(*right)
        used.add((row, column))
        if isinstance(target, GroupLayout) and not right_is_answer:
            continue  # a group's label: its sub-labels carry the answers
        if right_is_answer:
            if right in answers:
                found.shared.setdefault(right, [answers[right]]).append((row, column))
            answers.setdefault(right, (row, column))
        found.placed.append(
            Placed(target, (row, column), right if right_is_answer else None, None, block_of(row))
        )
    used.update(answers)
    # Then a label and its answer in one cell (是否愿意……发布？☑是 □否), unless that cell is
    # already another label's answer.
    for (row, column), (what, target, inline) in sorted(kinds.items()):
        if what == "label" and target is not None and inline is not None:
            if (row, column) in answers:
                continue
            found.placed.append(Placed(target, (row, column), None, inline, block_of(row)))
            used.add((row, column))
    for pos, (what, _, _) in sorted(kinds.items()):
        if what in (HEADING, STATIC):
            used.add(pos)
    for pos, cell in sorted(sheet.cells.items()):
        if pos in used or sheet.is_hidden(*pos):
            continue
        if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
            continue
        (found.under_merge if pos in covered else found.unrecognised).append(pos)
    return found


# ---------------------------------------------------------------- reading answers


@dataclass
class Read:
    """The answers of one record (the form's, or one cooperation block's)."""

    sections: dict[str, str] = field(default_factory=dict)  # element id → answer text
    where: dict[str, tuple[int, int]] = field(default_factory=dict)  # element id → cell
    lookups: dict[str, str] = field(default_factory=dict)  # PROJECT_NAME … → text

    def empty(self) -> bool:
        return not any(self.sections.values()) and not any(self.lookups.values())


class Context:
    """One import: the sheet, the report being written, and the lines about its cells."""

    def __init__(self, book: Workbook, sheet: Sheet, form: FormLayout, report: FormReport):
        self.book, self.sheet, self.form, self.report = book, sheet, form, report

    def refuse(self, at: tuple[int, int] | None, answer: Answer | None, zh: str, en: str) -> None:
        label = answer.label if answer else ""
        label_en = answer.label_en if answer else ""
        if at is None:
            where = at_sheet(self.book, self.sheet)
            if label:
                where = (f"{where[0]}「{label}」", f"{where[1]} ({label_en})")
        else:
            where = at_cell(self.book, self.sheet, at[0], at[1], label, label_en)
        self.report.lines.append(Line(*where, zh, en))

    def note(self, zh: str, en: str) -> None:
        self.report.notes.append(Line(*at_sheet(self.book, self.sheet), zh, en, refused=False))


def _raw_text(ctx: Context, placed: Placed) -> tuple[str, tuple[int, int]] | None:
    """The checked text of a placed label's answer, or None when refused (with a line)."""
    at = placed.answer_at or placed.label_at
    answer = placed.target if isinstance(placed.target, Answer) else None
    try:
        if placed.inline is not None:
            whole = ctx.sheet.cells[placed.label_at].value
            text = cell_text(Cell(str(whole)[placed.inline :], "s"))
        elif placed.answer_at is None:
            return "", at
        else:
            text = cell_text(ctx.sheet.cells.get(placed.answer_at))
    except CellRefused as problem:  # contact data included: cell_text looks for it first
        ctx.refuse(at, answer, problem.zh, problem.en)
        return None
    return text, at


def _choice_text(
    ctx: Context, answer: Answer, text: str, at: tuple[int, int], read: Read
) -> str | None:
    """The answer text ``answer_value`` reads for a choice (its shown labels), or None."""
    assert answer.element is not None
    note_code = next(
        (code for field_id, (host, code) in ctx.form.embedded.items() if host is answer), None
    )
    printed = tuple(t for t in (answer.label, *answer.accepted, pledge(answer), answer.hint) if t)
    # What the form prints before the boxes (the pledge, the label) is read past first, so
    # that boxes ticked after their choices (同意☑ 不同意□) are read after it too.
    picked = pick(answer, strip_hint(text, printed), note_code)
    allowed_lead = {_loose(text) for text in printed}
    choices = "、".join(printed for _, printed in answer.options)
    if picked.lead and _loose(picked.lead) not in allowed_lead:
        ctx.refuse(
            at,
            answer,
            f"选项前有无法识别的文字“{excerpt(picked.lead)}”；请只勾选选项（可选：{choices}）",
            "text before the tick boxes that is not part of the form; only tick the choices",
        )
        return None
    if picked.stray_ticks:
        ctx.refuse(
            at,
            answer,
            "有勾选符号后面没有选项，无法确定勾选了哪一项。请把所选项前面的 □ 改为 ☑"
            f"（可选：{choices}）",
            "a tick with no choice after it: which choice it ticks cannot be told. Change the "
            "box before the chosen one to ☑",
        )
        return None
    if picked.unticked:
        ctx.refuse(
            at,
            answer,
            f"“{excerpt(picked.unticked[0])}”写了内容却没有勾选。要选它，请把它的 □ 改为 ☑；"
            "不选，请删去为它写的内容。",
            f"{excerpt(picked.unticked[0])!r} has words written in but its box is not ticked: "
            "tick it, or delete the words",
        )
        return None
    if picked.unknown:
        ctx.refuse(
            at,
            answer,
            f"“{excerpt(picked.unknown[0])}”不是可选项。可选：{choices}。请勾选或从下拉列表中选择。",
            f"{excerpt(picked.unknown[0])!r} is not one of the choices; tick one of them or pick "
            "it from the dropdown list",
        )
        return None
    for code, note in picked.notes.items():
        if code == note_code:
            embedded = next(f for f, (host, c) in ctx.form.embedded.items() if host is answer)
            read.sections[embedded] = note
            read.where[embedded] = at
    if not picked.codes:
        return ""
    if answer.style == CHECKBOX:
        accept, decline = (code for code, _ in answer.options)
        if len(picked.codes) > 1:
            ctx.refuse(
                at, answer, f"“{accept}”和“{decline}”只能勾选一个", "tick only one of the two boxes"
            )
            return None
        if picked.codes[0] == decline:
            schema = answer.element.schema
            ctx.refuse(
                at,
                answer,
                f"勾选了“{decline}”。" + str(schema.get("x-message-zh", "")),
                f"{decline!r} is ticked. " + str(schema.get("x-message-en", "")),
            )
            return None
        return "- [X] " + accept
    if answer.style != MULTI and len(picked.codes) > 1:
        ctx.refuse(
            at,
            answer,
            f"勾选了 {len(picked.codes)} 项，只能选一项（可选：{choices}）",
            f"{len(picked.codes)} boxes are ticked; tick one only",
        )
        return None
    shown = dict(answer.element.options)
    return ", ".join(shown.get(code, code) for code in picked.codes)


def _loose(text: str) -> str:
    """A label or printed sentence compared without its closing punctuation."""
    return label_key(text).strip("。.,，;；:：?？")


def _numbered(text: str, group: GroupLayout) -> tuple[dict[str, str], str]:
    """One cell for a numbered group (合作进展情况 1.… 2.…): each part's text, and the text
    before the first number."""
    parts: dict[str, str] = {}
    marks: list[re.Match[str]] = []
    previous = 0
    for mark in _NUMBERED_PART.finditer(text):
        # Only rising numbers written as the first one is (in brackets or not) start a
        # part: "投入 3.5 万元" inside part 3, and a sub-item "(2)" inside part 1 of
        # "1. … 2、 …", stay text.
        if int(mark.group(2)) > previous and (
            not marks or _mark_style(mark) == _mark_style(marks[0])
        ):
            marks.append(mark)
            previous = int(mark.group(2))
    lead = text[: marks[0].start()].strip() if marks else text.strip()
    for index_, mark in enumerate(marks):
        number = int(mark.group(2))
        end = marks[index_ + 1].start() if index_ + 1 < len(marks) else len(text)
        body = text[mark.end() : end].strip().rstrip("；;")
        if 1 <= number <= len(group.answers):
            answer = group.answers[number - 1]
            title = answer.element.label if answer.element else ""
            body = strip_hint(body, (title,)) if title else body
            if body:
                parts[answer.field] = (parts.get(answer.field, "") + "\n" + body).strip()
        else:
            lead = (lead + "\n" + mark.group(0) + body).strip()
    return parts, lead


def read_answers(ctx: Context, found: Found) -> tuple[Read, list[Read]]:
    """The form's answers and each block's; refusals go to the report as they are met."""
    form = ctx.form
    main = Read()
    blocks = [Read() for _ in range(found.blocks)]
    seen: dict[tuple[int, str], tuple[str, tuple[int, int]]] = {}

    def store(
        read: Read, key: tuple[int, str], answer_field: str, text: str, at: tuple[int, int]
    ) -> bool:
        earlier = seen.get(key)
        if earlier is not None:
            if not text or compare_key(text) == compare_key(earlier[0]):
                return False
            if earlier[0]:
                ctx.refuse(
                    at,
                    None,
                    f"「{answer_field_label(form, answer_field)}」在 {position(*earlier[1])} 和 "
                    f"{position(*at)} 各填了一次，内容不同；请只保留一处",
                    f"the answer appears twice ({position(*earlier[1])} and {position(*at)}) with "
                    "different content; keep one",
                )
                return False
        seen[key] = (text, at)
        return True

    for placed in found.placed:
        target = placed.target
        if isinstance(target, GroupLayout):
            raw = _raw_text(ctx, placed)
            if raw is None:
                continue
            text, at = raw
            text = strip_hint(text, (target.hint,)) if target.hint else text
            if not text:
                continue
            read = blocks[placed.block] if target.answers[0].in_block else main
            if target.whole is not None:
                if store(
                    read,
                    (placed.block if target.whole.in_block else -1, target.whole.field),
                    target.whole.field,
                    text,
                    at,
                ):
                    read.sections[target.whole.field] = text
                    read.where[target.whole.field] = at
                    ctx.report.read.append(f"{target.label}（{position(*at)}）")
            elif target.numbered:
                parts, lead = _numbered(text, target)
                if lead:
                    last = target.answers[-1]
                    parts[last.field] = (lead + "\n" + parts.get(last.field, "")).strip()
                    ctx.note(
                        f"「{target.label}」有未编号的文字，已写入「{last.element.label if last.element else ''}」",
                        f"{target.label}: text without a number was put under the last part",
                    )
                for field_id, part in parts.items():
                    if store(read, (placed.block, field_id), field_id, part, at):
                        read.sections[field_id] = part
                        read.where[field_id] = at
                ctx.report.read.append(f"{target.label}（{position(*at)}）")
            else:
                ctx.refuse(
                    at,
                    None,
                    f"「{target.label}」请按（{'）（'.join(a.label.strip('（）') for a in target.answers)}）分栏填写",
                    f"{target.label}: write each part in its own row",
                )
            continue
        answer = target
        if answer.style == PERSONAL_STYLE:
            where = position(*(placed.answer_at or placed.label_at))
            ctx.report.skipped_personal.append(f"{answer.label}（{where}）")
            continue
        raw = _raw_text(ctx, placed)
        if raw is None:
            continue
        text, at = raw
        if answer.hint:
            text = strip_hint(text, (answer.hint,))
        read = blocks[placed.block] if answer.in_block else main
        if answer.style == LOOKUP:
            if store(read, (placed.block, answer.field), answer.field, text, at) and text:
                read.lookups[answer.field] = text
                read.where[answer.field] = at
            continue
        if answer.style in (BOXES, CHOICE, MULTI, CHECKBOX) and text:
            section = _choice_text(ctx, answer, text, at, read)
            if section is None:
                continue
        else:
            section = text
        if answer.style == "line":
            section = one_line(section)
        key = (placed.block if answer.in_block else -1, answer.field)
        if store(read, key, answer.field, section, at) and section:
            read.sections[answer.field] = section
            read.where[answer.field] = at
            ctx.report.read.append(f"{answer.label}（{position(*at)}）")
    return main, blocks


def answer_field_label(form: FormLayout, field_id: str) -> str:
    return next((a.label for a in form.answers() if a.field == field_id), field_id)


def cell_text_safe(sheet: Sheet, row: int, column: int) -> str:
    cell = sheet.cells.get((row, column))
    if cell is None:
        return ""
    value = cell.value
    return excerpt(str(value)) if value is not None else ""
