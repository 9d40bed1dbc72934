"""The web form's spec (``springrain.intake.webform``): generated from the schemas, the rules
and the annexes, its messages the validator's and intake's own, its detector definition the
detector's, its cell plans where the importer reads, and kept current by ``generated``."""

from __future__ import annotations

import io
import random
import re
import unicodedata
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest

from springrain import generated
from springrain.intake import forms, issues, webform
from springrain.intake.forms import checkbox_option, form_elements
from springrain.intake.sheets import annexes, layout, writer
from springrain.intake.sheets.importer import recognise
from springrain.intake.sheets.workbook import read_workbook
from springrain.model.schemas import vocabulary_labels
from springrain.site.webform import SPEC_FILE
from springrain.validate import contacts
from springrain.validate.checks import RULES
from springrain.validate.checks import fields as field_rules
from springrain.validate.checks import schema as schema_rules
from springrain.validate.checks.pii import RULE_OF
from springrain.validate.engine import check_record


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return webform.spec()


def fill(template: str, **slots: object) -> str:
    """The browser's filling of a template: only the slots given, the rest left as it is."""
    return re.sub(r"\{(\w+)\}", lambda m: str(slots.get(m[1], m[0])), template)


def elements_of(spec: dict[str, Any], form: str) -> dict[str, dict[str, Any]]:
    found = next(f for f in spec["forms"] if f["form"] == form)
    return {el["id"]: el for el in found["elements"]}


# ---------------------------------------------------------------- the forms


def test_every_element_of_every_form_is_in_the_spec_with_its_label_verbatim(spec) -> None:
    assert [f["form"] for f in spec["forms"]] == ["project", "enterprise", "cooperation"]
    for form in spec["forms"]:
        name = form["form"]
        assert form["file"] == forms.form_file(name)
        assert form["title"] == forms.FORM_META[name]["title"]
        assert form["annex"] == ("annex1" if name == "project" else "annex2")
        expected = form_elements(name)
        assert [el["id"] for el in form["elements"]] == [el.id for el in expected]
        for el, made in zip(expected, form["elements"], strict=True):
            assert made["label"] == el.label  # the schema title, verbatim
            assert made["widget"] == el.widget and made["required"] == el.required
            assert made["path"] == list(el.path)
            assert [tuple(o) for o in made["options"]] == list(el.options)
            if el.widget == "checkbox":
                assert made["option"] == checkbox_option(el)


def test_choices_come_from_the_vocabularies(spec) -> None:
    project = elements_of(spec, "project")
    assert dict(map(tuple, project["province"]["options"])) == vocabulary_labels("provinces")
    assert dict(map(tuple, project["stage"]["options"])) == vocabulary_labels("stages")
    modes = dict(map(tuple, project["cooperation_modes_sought"]["options"]))
    assert modes == vocabulary_labels("cooperation_modes")
    kinds = project["intellectual_property"]["parts"][0]
    assert dict(map(tuple, kinds["options"])) == vocabulary_labels("ip_kinds")
    assert elements_of(spec, "enterprise")["high_tech"]["options"] == [["是", "是"], ["否", "否"]]


def test_a_body_written_with_the_shown_choices_reads_back_as_their_codes(spec) -> None:
    """The browser writes a choice as its label (as GitHub renders it): intake must read it
    back as the same code, and a label of a multiple choice may hold no comma."""
    for form in spec["forms"]:
        for el in form_elements(form["form"]):
            for code, label in el.options:
                assert issues._choice(el, label) == code, (el.id, label)
                if el.widget == "multi":
                    assert not re.search(r"[,，]", label), (el.id, label)


def test_the_credit_code_is_required_unless_the_enterprise_is_in_hk_mo_tw(spec) -> None:
    credit = elements_of(spec, "enterprise")["credit_code"]
    assert credit["required_unless"] == {"field": "province", "values": ["HK", "MO", "TW"]}
    assert "内地企业须填写统一社会信用代码" in credit["messages"]["required"]


# ---------------------------------------------------------------- messages: the same words


def test_the_rules_messages_are_the_registered_templates(spec) -> None:
    made = spec["messages"]["rules"]
    assert set(made) == set(RULES)
    for code, rule in RULES.items():
        assert made[code] == {"title": rule.title_zh, "zh": rule.template_zh}
    codes = spec["messages"]["codes"]
    assert set(codes.values()) <= set(RULES)
    assert {kind: codes[kind] for kind in RULE_OF} == {k: r.code for k, r in RULE_OF.items()}


def _finding(kind: str, record: dict[str, Any], pointer: str, rule: str) -> str:
    found = [f for f in schema_rules.check("", kind, record) if f.pointer == pointer]
    assert found, (pointer, record)
    return next(f.message_zh for f in found if f.rule == rule)


def test_required_messages_are_what_the_validator_says(spec) -> None:
    for form in ("project", "enterprise", "cooperation"):
        findings = {
            f.pointer: f.message_zh
            for f in schema_rules.check("", form, {})
            if f.rule == schema_rules.REQUIRED.code
        }
        for el in form_elements(form):
            if el.required:
                assert (
                    elements_of(spec, form)[el.id]["messages"]["required"]
                    == findings["/" + "/".join(el.path)]
                )


def test_limit_messages_are_what_the_validator_says_for_a_broken_limit(spec) -> None:
    project = elements_of(spec, "project")
    name = next(c for c in project["project_name"]["checks"] if c["keyword"] == "maxLength")
    assert fill(name["message"], length=201) == _finding(
        "project", {"project_name": "名" * 201}, "/project_name", "schema.length"
    )
    single = next(c for c in project["project_name"]["checks"] if c["keyword"] == "pattern")
    assert single["message"] == _finding(
        "project", {"project_name": "a\tb"}, "/project_name", "schema.pattern"
    )
    partners = project["intended_partners__in_province"]["checks"]
    item = next(c for c in partners if c["at"] == ["*"] and c["keyword"] == "maxLength")
    record = {"intended_partners": {"in_province": ["甲", "乙" * 201]}}
    assert fill(item["message"], n=2, length=201) == _finding(
        "project", record, "/intended_partners/in_province/1", "schema.length"
    )
    listing = project["programme_listings"]["checks"]
    year = next(c for c in listing if c["at"] == ["*", "year"] and c["keyword"] == "maximum")
    record = {"programme_listings": [{"level": "省", "name": "甲", "year": 2300}]}
    assert fill(year["message"], n=1, value=2300) == _finding(
        "project", record, "/programme_listings/0/year", "schema.range"
    )
    capital = elements_of(spec, "enterprise")["registered_capital"]["checks"]
    low = next(c for c in capital if c["keyword"] == "minimum")
    assert fill(low["message"], value=-5) == _finding(
        "enterprise", {"registered_capital": -5}, "/registered_capital", "schema.range"
    )
    owners = project["intellectual_property"]["checks"]
    most = next(c for c in owners if c["at"] == ["*", "owners"] and c["keyword"] == "maxItems")
    item = {"kind": "其他", "title": "甲", "status": "申请中", "owners": ["乙"] * 21}
    assert fill(most["message"], n=1, length=21) == _finding(
        "project",
        {"intellectual_property": [item]},
        "/intellectual_property/0/owners",
        "schema.items",
    )


def _intake(form: str, element: str, raw: str) -> list[str]:
    el = next(e for e in form_elements(form) if e.id == element)
    problems: list[issues.Problem] = []
    issues.answer_value(el, raw, problems)
    return [p.message_zh for p in problems]


def test_intake_messages_are_what_intake_says(spec) -> None:
    enterprise = elements_of(spec, "enterprise")
    date = enterprise["registration_date"]["messages"]["date"]
    assert _intake("enterprise", "registration_date", "明年春天") == [fill(date, value="明年春天")]
    long = "很久以前" * 30
    assert _intake("enterprise", "registration_date", long) == [
        fill(date, value=long[: spec["parsing"]["short"]] + "…")
    ]
    number = enterprise["registered_capital"]["messages"]["number"]
    assert _intake("enterprise", "registered_capital", "一千") == [fill(number, value="一千")]
    ip = elements_of(spec, "project")["intellectual_property"]["messages"]
    assert _intake("project", "intellectual_property", "\n发明专利 | 甲") == [
        fill(ip["parts"]["2"], line=2)
    ]
    assert _intake("project", "intellectual_property", "专利 | 甲 | 已授权 | 乙") == [
        fill(ip["vocab"]["kind"], line=1, value="专利")
    ]
    listing = elements_of(spec, "project")["programme_listings"]["messages"]
    assert _intake("project", "programme_listings", "省 | 甲 | 去年") == [
        fill(listing["integer"]["year"], line=1)
    ]
    outcome = issues.run_intake("project", "x" * 70000, Path("/nonexistent"))
    assert outcome.problems[0].message_zh == fill(spec["messages"]["body_too_long"], length=70000)


def test_record_rules_read_the_fields_the_spec_names(spec) -> None:
    """stage.note and uscc.checksum fire on the fields the browser applies them to."""
    parsing = spec["parsing"]
    stage = parsing["stage"]
    found = check_record("x", "project", {stage["field"]: stage["value"]}, _today(), False)
    assert any(
        f.rule == field_rules.STAGE_NOTE.code and f.pointer == "/" + stage["note"] for f in found
    )
    from stdnum.cn import uscc as stdnum_uscc

    uscc = parsing["uscc"]
    base = "91350100MA2YT8XQ0"
    wrong = next(c for c in uscc["alphabet"] if c != stdnum_uscc.calc_check_digit(base))
    found = check_record("x", "enterprise", {uscc["field"]: base + wrong}, _today(), False)
    assert any(f.rule == field_rules.USCC.code for f in found)


def _today():
    import datetime as dt

    return dt.date(2026, 6, 1)


def test_the_credit_code_check_character_is_python_stdnums(spec) -> None:
    from stdnum.cn import uscc

    made = spec["parsing"]["uscc"]
    alphabet, weights = made["alphabet"], made["weights"]
    rng = random.Random(5)
    for _ in range(500):
        code = "".join(rng.choice("0123456789") for _ in range(8))
        code += "".join(rng.choice(alphabet) for _ in range(9))
        total = sum(alphabet.index(c) * w for c, w in zip(code, weights, strict=True))
        assert alphabet[(len(alphabet) - total) % len(alphabet)] == uscc.calc_check_digit(code)


# ---------------------------------------------------------------- the detector's definition


def test_the_detector_is_exported_whole(spec) -> None:
    made = spec["contacts"]
    assert made["patterns"] == contacts.patterns()
    assert made["numerals"] == contacts.NUMERALS
    for name in ("MAX_SEPARATORS", "MIN_RUN", "MAX_GROUPS", "MAX_DIGIT_BY_DIGIT", "MAX_CANDIDATES"):
        assert made[name.lower()] == getattr(contacts, name)
    assert made["candidate_spacing"] == contacts.CANDIDATE_SPACING
    assert (made["window_before"], made["window_after"]) == (
        contacts.WINDOW_BEFORE,
        contacts.WINDOW_AFTER,
    )
    assert tuple(made["at_forms"]) == contacts._AT_FORMS
    assert tuple(made["dot_forms"]) == contacts._DOT_FORMS
    assert set(made["province_prefixes"]) == contacts.province_prefixes()
    assert (tuple(made["id_weights"]), made["id_check"]) == (
        contacts._ID_WEIGHTS,
        contacts._ID_CHECK,
    )


def test_the_javascript_classes_are_pythons_over_all_of_unicode(spec) -> None:
    """{DIGIT} (the runs from the exported zeros) is Python's \\d; [^\\p{L}\\p{N}] is [\\W_];
    the exported whitespace is \\s; and each run's zero gives every digit's value."""
    zeros = spec["contacts"]["digit_zeros"]
    runs = {zero + i: i for zero in zeros for i in range(10)}
    whitespace = set(spec["contacts"]["whitespace"])
    digit, word, space = re.compile(r"\d"), re.compile(r"[\W_]"), re.compile(r"\s")
    for cp in range(0x110000):
        char = chr(cp)
        assert bool(digit.match(char)) == (cp in runs), hex(cp)
        if cp in runs:
            assert unicodedata.decimal(char) == runs[cp]
        letter_or_number = unicodedata.category(char)[0] in "LN"
        assert bool(word.match(char)) == (not letter_or_number), hex(cp)
        assert bool(space.match(char)) == (char in whitespace), hex(cp)


def test_the_exact_run_alone_finds_what_the_wide_scan_finds() -> None:
    """contacts.js uses the exact pattern alone; Python narrows with a wide RE2 scan first."""
    exact, wide = contacts._compiled()["run"], contacts._scanner()
    pieces = [*"0123456789 -./()_,+Xx①②⑩⒈¹٣٤۵०१一二三四五六七八九零〇两幺abcAB中文、：Ｘ𝟘"]
    pieces += ["\u3000", "\u00ad"]
    rng = random.Random(3)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(5, 60)))
        narrowed = [m.group() for w in wide.finditer(text) for m in exact.finditer(w.group())]
        assert narrowed == [m.group() for m in exact.finditer(text)], text


def test_python_patterns_are_translated_for_javascript() -> None:
    translated = webform.js_pattern(r"^\s*(?:[-*]|[0-9]+[.)])\s*")
    assert r"\s" not in translated and r"\u{3000}" in translated and r"\u{85}" in translated
    for bad in (r"\d+", r"\w", r"[\s,]"):
        with pytest.raises(ValueError):
            webform.js_pattern(bad)


# ---------------------------------------------------------------- the annexes


@pytest.mark.parametrize("name", sorted(annexes.ANNEXES))
def test_the_templates_are_stored_zips_the_importer_recognises(name: str, tmp_path: Path) -> None:
    data = webform.template_bytes(name)
    assert data == webform.template_bytes(name)  # the same bytes on every run
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
    assert b"2025-06-13T00:00:00Z</dcterms:modified>" in archive.read(writer.CORE_PROPERTIES)
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(data)
    sheet = read_workbook(path).visible[0]
    assert recognise(sheet) == (name, None)


@pytest.mark.parametrize("name", sorted(annexes.ANNEXES))
def test_every_answer_has_one_cell_and_every_box_its_place(spec, name: str) -> None:
    plan = spec["annexes"][name]
    form = layout.layout(name)
    placed = {(cell["form"], cell["element"]) for cell in plan["cells"]}
    assert len(placed) == len(plan["cells"])
    assert len({cell["ref"] for cell in plan["cells"]}) == len(plan["cells"])
    for kind in form.annex.kinds:
        expected = {el.id for el in form_elements(kind)} - set(form.embedded)
        assert {element for owner, element in placed if owner == kind} == expected
    answers = {(a.kind, a.field): a for a in form.answers() if a.element is not None}
    for cell in plan["cells"]:
        if "ticks" not in cell:
            continue
        answer = answers[(cell["form"], cell["element"])]
        plain = layout.boxes(answer.options)
        for code, at in cell["ticks"].items():
            ticked = cell["text"][:at] + plan["tick"] + cell["text"][at + 1 :]
            assert ticked == cell["text"].replace(
                plain, layout.boxes(answer.options, frozenset({code}))
            )
        if "note" in cell:
            note = cell["note"]
            assert note["before"] + "　　" + note["after"] == cell["text"]


# ---------------------------------------------------------------- generated and current


def test_the_spec_and_templates_are_registered_generated_files() -> None:
    entry = next(g for g in generated.GENERATED if g.directory.name == "webform")
    assert entry.directory == SPEC_FILE.parent  # where the site reads it
    assert set(entry.files()) == {"spec.json", "annex1.xlsx", "annex2.xlsx"}
    assert [p for p in generated.stale() if p.parent == entry.directory] == []


def test_a_stale_spec_or_template_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = next(g for g in generated.GENERATED if g.directory.name == "webform")
    moved = replace(entry, directory=tmp_path)
    monkeypatch.setattr(generated, "GENERATED", (moved,))
    assert generated.regenerate()
    assert generated.stale() == []
    spec = orjson.loads((tmp_path / "spec.json").read_bytes())
    spec["messages"]["rules"]["pii.mobile"]["zh"] = "手写的另一句话"
    (tmp_path / "spec.json").write_bytes(orjson.dumps(spec))
    (tmp_path / "annex1.xlsx").write_bytes(b"PK")
    (tmp_path / "old.json").write_text("{}", encoding="utf-8")
    assert sorted(generated.stale()) == sorted(
        [tmp_path / "spec.json", tmp_path / "annex1.xlsx", tmp_path / "old.json"]
    )
