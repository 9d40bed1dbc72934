"""The validator against hostile input: each defect applied to a copy of a valid fixture
dataset must be reported with the right rule, at the right place, and nothing may crash."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from springrain.model.discovery import discover
from springrain.model.records import canonical_bytes
from springrain.validate.checks import RULES
from springrain.validate.engine import _displayed, display_path, validate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

BASE = FIXTURES / "records"
PROJECT = "projects/GD/GD-2025-0001.json"
PROJECT_2 = "projects/GD/GD-2025-0002.json"
ENTERPRISE = "enterprises/ENT-0001.json"
COOPERATION = "cooperations/COOP-0001.json"
TODAY = dt.date(2026, 11, 27)
KIND_OF = {
    PROJECT: "project",
    PROJECT_2: "project",
    ENTERPRISE: "enterprise",
    COOPERATION: "cooperation",
}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(BASE, target)
    return target


def load(data: Path, name: str) -> dict[str, Any]:
    return json.loads((data / name).read_text("utf-8"))


def save(data: Path, name: str, record: dict[str, Any]) -> None:
    (data / name).write_bytes(canonical_bytes(KIND_OF.get(name, "project"), record))


def findings_of(data: Path, **kwargs: Any) -> set[tuple[str, str, str]]:
    report = validate(data, today=TODAY, **kwargs)
    root = os.path.abspath(data)
    return {
        (os.path.relpath(os.path.abspath(f.file), root), f.pointer, f.rule) for f in report.findings
    }


def edit(name: str, change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def apply(data: Path) -> None:
        record = load(data, name)
        change(record)
        save(data, name, record)

    return apply


def setter(name: str, field: str, value: Any) -> Callable[[Path], None]:
    return edit(name, lambda r: r.__setitem__(field, value))


def raw(name: str, content: bytes) -> Callable[[Path], None]:
    return lambda data: (data / name).write_bytes(content)


def _history_jump(r: dict[str, Any]) -> None:
    r["history"][1]["status"] = "产品定型"
    r["history"] = r["history"][:2]
    r["status"] = "产品定型"


def _history_backwards(r: dict[str, Any]) -> None:
    r["history"][2]["date"] = "2025-08-15"


def _rename(data: Path) -> None:
    (data / PROJECT).rename(data / "projects/GD/GD-2025-0009.json")


def _wrong_folder(data: Path) -> None:
    (data / "projects/FJ").mkdir()
    (data / PROJECT).rename(data / "projects/FJ/GD-2025-0001.json")


def _duplicate_id(data: Path) -> None:
    record = load(data, PROJECT_2)
    record["id"] = "GD-2025-0001"
    save(data, PROJECT_2, record)


def _near_duplicate(data: Path) -> None:
    record = load(data, PROJECT_2)
    record["project_name"] = "测试夹具：可降解镁合金冠状动脉支架。"
    save(data, PROJECT_2, record)


def _bad_programme_row(data: Path) -> None:
    path = data / "programmes.csv"
    lines = path.read_text("utf-8").splitlines()
    cells = lines[1].split(",")
    cells[7] = "2025年"  # the issued date column
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", "utf-8")


def _programmes_cell(column: str, value: str) -> Callable[[Path], None]:
    def change(data: Path) -> None:
        path = data / "programmes.csv"
        rows = list(csv.DictReader(path.read_text("utf-8").splitlines()))
        rows[0][column] = value
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)

    return change


def _programmes_in_gb18030(data: Path) -> None:
    path = data / "programmes.csv"
    path.write_bytes(path.read_text("utf-8").encode("gb18030"))


def _non_canonical(data: Path) -> None:
    record = load(data, PROJECT)
    (data / PROJECT).write_text(json.dumps(record, ensure_ascii=True), "utf-8")


# (case id, change, expected (file, pointer, rule))
CASES: list[tuple[str, Callable[[Path], None], tuple[str, str, str]]] = [
    ("syntax", raw(PROJECT, b'{"id": "GD-2025-0001",\n  "x": }'), (PROJECT, "", "json.syntax")),
    (
        "gb18030",
        raw(PROJECT, '{"project_name": "中文"}'.encode("gb18030")),
        (PROJECT, "", "encoding.not_utf8"),
    ),
    (
        # One character cut short in a UTF-8 file: not another encoding (an even number of
        # bytes decodes as UTF-16, whose advice would turn the file into nonsense).
        "damaged utf-8",
        raw(PROJECT, '{"project_name": "中文项目", "x": "输尿管"}'.encode()[:-6] + b'"}'),
        (PROJECT, "", "encoding.damaged_utf8"),
    ),
    (
        "bom",
        lambda d: (d / PROJECT).write_bytes(b"\xef\xbb\xbf" + (d / PROJECT).read_bytes()),
        (PROJECT, "", "encoding.bom"),
    ),
    ("duplicate-key", raw(PROJECT, b'{"id": "a", "id": "b"}'), (PROJECT, "", "json.duplicate_key")),
    ("not-object", raw(PROJECT, b"[1, 2]\n"), (PROJECT, "", "json.not_object")),
    ("non-canonical", _non_canonical, (PROJECT, "", "format.non_canonical")),
    (
        "wrong-extension",
        lambda d: (d / PROJECT).rename(d / (PROJECT + ".txt")),
        (PROJECT + ".txt", "", "file.extension"),
    ),
    (
        "misplaced",
        lambda d: (d / PROJECT).rename(d / "projects/GD-2025-0001.json"),
        ("projects/GD-2025-0001.json", "", "file.location"),
    ),
    (
        "symlink",
        lambda d: (d / "projects/GD/GD-2025-0003.json").symlink_to("/dev/null"),
        ("projects/GD/GD-2025-0003.json", "", "file.symlink"),
    ),
    (
        "symlink-replacing-a-record",
        lambda d: (d / PROJECT).unlink() or (d / PROJECT).symlink_to(d / PROJECT_2),
        (PROJECT, "", "file.symlink"),
    ),
    (
        "hidden",
        lambda d: (d / "projects/GD/.GD-2025-0003.json").write_text("{}"),
        ("projects/GD/.GD-2025-0003.json", "", "file.hidden"),
    ),
    (
        "folder-named-json",
        lambda d: (d / "enterprises/ENT-0002.json").mkdir(),
        ("enterprises/ENT-0002.json", "", "file.folder"),
    ),
    (
        "unexpected",
        lambda d: (d / "notes.txt").write_text("x"),
        ("notes.txt", "", "file.unexpected"),
    ),
    (
        "too-large",
        raw(PROJECT, b"{" + b" " * (300 * 1024) + b"}"),
        (PROJECT, "", "file.too_large"),
    ),
    (
        "too-deep",
        raw(PROJECT, b"[" * 40 + b"]" * 40),
        (PROJECT, "", "json.too_deep"),
    ),
    (
        "required",
        edit(PROJECT, lambda r: r.pop("institution")),
        (PROJECT, "/institution", "schema.required"),
    ),
    (
        "credit-code-required",
        edit(ENTERPRISE, lambda r: r.pop("credit_code")),
        (ENTERPRISE, "/credit_code", "schema.required"),
    ),
    ("unknown-field", setter(PROJECT, "phone", "x"), (PROJECT, "/phone", "schema.unknown_field")),
    (
        "type",
        setter(ENTERPRISE, "registered_capital", "1000万"),
        (ENTERPRISE, "/registered_capital", "schema.type"),
    ),
    (
        "enum",
        setter(PROJECT, "product_class", "第四类"),
        (PROJECT, "/product_class", "schema.enum"),
    ),
    (
        "consent",
        setter(PROJECT, "publish_consent", False),
        (PROJECT, "/publish_consent", "schema.const"),
    ),
    (
        "too-long",
        setter(PROJECT, "project_name", "长" * 201),
        (PROJECT, "/project_name", "schema.length"),
    ),
    ("empty", setter(PROJECT, "city", ""), (PROJECT, "/city", "schema.length")),
    (
        "newline-in-line",
        setter(PROJECT, "city", "广州\n深圳"),
        (PROJECT, "/city", "schema.pattern"),
    ),
    (
        # JSON Schema's $ is ECMA-262's: a final line break is not the end of the pattern.
        "trailing-newline-in-date",
        setter(PROJECT, "submitted", "2025-08-01\n"),
        (PROJECT, "/submitted", "schema.pattern"),
    ),
    (
        "trailing-newline-in-line",
        setter(PROJECT, "city", "广州\n"),
        (PROJECT, "/city", "schema.pattern"),
    ),
    (
        "bad-date-shape",
        setter(PROJECT, "submitted", "2025/08/01"),
        (PROJECT, "/submitted", "schema.pattern"),
    ),
    ("items", setter(PROJECT, "history", []), (PROJECT, "/history", "schema.items")),
    (
        "empty-list",
        setter(PROJECT, "intellectual_property", []),
        (PROJECT, "/intellectual_property", "schema.items"),
    ),
    (
        "empty-object",
        setter(PROJECT, "intended_partners", {}),
        (PROJECT, "/intended_partners", "schema.items"),
    ),
    (
        "range",
        edit(ENTERPRISE, lambda r: r.__setitem__("registered_capital", -5)),
        (ENTERPRISE, "/registered_capital", "schema.range"),
    ),
    (
        "if-then",
        edit(
            PROJECT,
            lambda r: r.__setitem__(
                "programme_listings", [{"level": "省", "name": "x", "year": "2024"}]
            ),
        ),
        (PROJECT, "/programme_listings/0/year", "schema.type"),
    ),
    ("id-file", _rename, ("projects/GD/GD-2025-0009.json", "/id", "id.file_name")),
    ("id-province", _wrong_folder, ("projects/FJ/GD-2025-0001.json", "/id", "id.province")),
    ("id-year", setter(PROJECT_2, "submitted", "2026-01-02"), (PROJECT_2, "/id", "id.year")),
    ("id-duplicate", _duplicate_id, (PROJECT_2, "/id", "id.duplicate")),
    (
        "ref-programme",
        setter(PROJECT, "programme", "XX-2025"),
        (PROJECT, "/programme", "ref.programme"),
    ),
    (
        "ref-programme-province",
        setter(PROJECT, "programme", "FJ-2025"),
        (PROJECT, "/programme", "ref.programme_province"),
    ),
    (
        "ref-project",
        setter(COOPERATION, "project", "GD-2025-0099"),
        (COOPERATION, "/project", "ref.project"),
    ),
    (
        "ref-enterprise",
        setter(COOPERATION, "enterprise", "ENT-0099"),
        (COOPERATION, "/enterprise", "ref.enterprise"),
    ),
    (
        "date-invalid",
        setter(PROJECT, "cmde_reported", "2026-02-30"),
        (PROJECT, "/cmde_reported", "date.invalid"),
    ),
    (
        "date-future",
        setter(PROJECT, "cmde_reported", "2027-01-01"),
        (PROJECT, "/cmde_reported", "date.future"),
    ),
    (
        "date-future-enterprise",
        setter(ENTERPRISE, "registration_date", "2027-01-01"),
        (ENTERPRISE, "/registration_date", "date.future"),
    ),
    (
        "date-invalid-cooperation",
        edit(COOPERATION, lambda r: r["history"][0].__setitem__("date", "2025-09-31")),
        (COOPERATION, "/history/0/date", "date.invalid"),
    ),
    (
        "history-first",
        edit(PROJECT, lambda r: r["history"][0].__setitem__("date", "2025-08-02")),
        (PROJECT, "/history/0", "history.first"),
    ),
    (
        "history-order",
        edit(PROJECT, _history_backwards),
        (PROJECT, "/history/2/date", "history.order"),
    ),
    (
        "history-status",
        setter(PROJECT, "status", "入库"),
        (PROJECT, "/status", "history.status_mismatch"),
    ),
    (
        "history-transition",
        edit(PROJECT, _history_jump),
        (PROJECT, "/history/1/status", "history.transition"),
    ),
    (
        "uscc",
        edit(
            ENTERPRISE,
            lambda r: r.__setitem__(
                "credit_code", r["credit_code"][:-1] + ("0" if r["credit_code"][-1] != "0" else "1")
            ),
        ),
        (ENTERPRISE, "/credit_code", "uscc.checksum"),
    ),
    (
        "cmde-class",
        edit(PROJECT_2, lambda r: r.__setitem__("cmde_reported", "2025-10-01")),
        (PROJECT_2, "/cmde_reported", "cmde.class"),
    ),
    ("stage-note", setter(PROJECT, "stage", "其他"), (PROJECT, "/stage_note", "stage.note")),
    ("demo", setter(PROJECT, "demo", True), (PROJECT, "/demo", "demo.in_data")),
    (
        "control",
        setter(PROJECT, "structure", "支架\x07本体"),
        (PROJECT, "/structure", "text.control"),
    ),
    (
        "zero-width",
        setter(PROJECT, "project_lead", "测试\u200b医生"),
        (PROJECT, "/project_lead", "text.zero_width"),
    ),
    (
        "bidi",
        setter(PROJECT, "project_lead", "测试\u202e医生"),
        (PROJECT, "/project_lead", "text.zero_width"),
    ),
    ("leading-space", setter(PROJECT, "city", " 广州"), (PROJECT, "/city", "text.whitespace")),
    ("trailing-space", setter(PROJECT, "city", "广州 "), (PROJECT, "/city", "text.whitespace")),
    (
        "ideographic-space",
        setter(PROJECT, "city", "广州\u3000"),
        (PROJECT, "/city", "text.whitespace"),
    ),
    (
        "trailing-newline",
        setter(PROJECT, "structure", "支架本体\n"),
        (PROJECT, "/structure", "text.whitespace"),
    ),
    (
        "formula-equals",
        setter(PROJECT, "project_lead", '=HYPERLINK("http://x")'),
        (PROJECT, "/project_lead", "text.formula"),
    ),
    ("formula-plus", setter(PROJECT, "department", "+1"), (PROJECT, "/department", "text.formula")),
    (
        "formula-at",
        setter(PROJECT, "department", "@SUM(A1)"),
        (PROJECT, "/department", "text.formula"),
    ),
    (
        "formula-minus",
        edit(PROJECT, lambda r: r["intellectual_property"][0].__setitem__("title", "-2+3")),
        (PROJECT, "/intellectual_property/0/title", "text.formula"),
    ),
    (
        "unknown-char",
        setter(PROJECT, "contact_route", "电话 \U0001ccf1\U0001ccf3\U0001ccf9 1234 5678"),
        (PROJECT, "/contact_route", "text.unknown_char"),
    ),
    (
        "mobile-plain",
        setter(PROJECT, "contact_route", "13800138000"),
        (PROJECT, "/contact_route", "pii.mobile"),
    ),
    (
        "mobile-in-chinese",
        setter(PROJECT, "contact_route", "电话13800138000联系"),
        (PROJECT, "/contact_route", "pii.mobile"),
    ),
    (
        "mobile-86",
        setter(PROJECT, "contact_route", "+86 138-0013-8000"),
        (PROJECT, "/contact_route", "pii.mobile"),
    ),
    (
        "mobile-86-joined",
        setter(PROJECT, "contact_route", "请拨+8613800138000"),
        (PROJECT, "/contact_route", "pii.mobile"),
    ),
    (
        "mobile-spaces",
        setter(PROJECT, "intended_use", "联系人王某 138 0013 8000。"),
        (PROJECT, "/intended_use", "pii.mobile"),
    ),
    (
        "mobile-fullwidth",
        setter(PROJECT, "contact_route", "１３８００１３８０００"),
        (PROJECT, "/contact_route", "pii.mobile"),
    ),
    (
        # Full-width hyphens from a Chinese input method: the exact check sees "-" after NFKC.
        "mobile-fullwidth-hyphens",
        setter(PROJECT, "contact_route", "联系电话：138－0013－8000"),
        (PROJECT, "/contact_route", "pii.mobile"),
    ),
    (
        "mobile-ideographic-spaces",
        setter(PROJECT, "intended_use", "电话 138\u30000013\u30008000"),
        (PROJECT, "/intended_use", "pii.mobile"),
    ),
    (
        "mobile-circled-digits",
        setter(PROJECT, "research_team", "联系①③⑧⓪⓪①③⑧⓪⓪⓪"),
        (PROJECT, "/research_team", "pii.mobile"),
    ),
    (
        "mobile-line-breaks",
        setter(PROJECT, "intended_use", "电话\n138\n0013\n8000"),
        (PROJECT, "/intended_use", "pii.mobile"),
    ),
    (
        "email-small-at",
        setter(PROJECT, "contact_route", "zhang﹫example.com"),
        (PROJECT, "/contact_route", "pii.email"),
    ),
    (
        "mobile-nested",
        edit(PROJECT, lambda r: r["history"][1].__setitem__("note", "已电话联系15912345678")),
        (PROJECT, "/history/1/note", "pii.mobile"),
    ),
    (
        "id-number",
        setter(PROJECT, "research_team", "负责人身份证11010519491231002X"),
        (PROJECT, "/research_team", "pii.id_number"),
    ),
    (
        "email",
        setter(PROJECT, "contact_route", "邮箱zhang.san@example.com"),
        (PROJECT, "/contact_route", "pii.email"),
    ),
    (
        "landline",
        setter(PROJECT, "contact_route", "转化办电话 021-6123 4567"),
        (PROJECT, "/contact_route", "pii.landline"),
    ),
    (
        # A resident ID number that passes the credit code's check digit too.
        "credit-code-is-an-id",
        setter(ENTERPRISE, "credit_code", "440106198001010449"),
        (ENTERPRISE, "/credit_code", "pii.credit_code_id"),
    ),
    (
        # A superscript digit is a digit to str.isdigit but no number to int(): reported
        # as a malformed code, never a crash in the ID-number check.
        "credit-code-superscript-digit",
        setter(ENTERPRISE, "credit_code", "1101051949123100²2"),
        (ENTERPRISE, "/credit_code", "schema.pattern"),
    ),
    (
        "email-fullwidth",
        setter(PROJECT, "contact_route", "zhang＠example.com"),
        (PROJECT, "/contact_route", "pii.email"),
    ),
    (
        "pii-in-key",
        edit(PROJECT, lambda r: r.__setitem__("13800138000", "x")),
        (PROJECT, "/13800138000", "pii.mobile"),
    ),
    ("likely-duplicate", _near_duplicate, (PROJECT_2, "/project_name", "duplicate.likely")),
    ("table", _bad_programme_row, ("programmes.csv", "/2/issued", "table.invalid")),
    # Cells frictionless takes but the build reads otherwise or not at all.
    (
        "table-date-unpadded",
        _programmes_cell("period_start", "2026-1-1"),
        ("programmes.csv", "/2/period_start", "table.invalid"),
    ),
    (
        "table-date-arabic-digits",
        _programmes_cell("issued", "٢٠٢٦-٠١-٠١"),
        ("programmes.csv", "/2/issued", "table.invalid"),
    ),
    ("table-not-utf8", _programmes_in_gb18030, ("programmes.csv", "", "table.invalid")),
    (
        "table-script-url",
        _programmes_cell("platform_url", "javascript:alert(1)"),
        ("programmes.csv", "/2/platform_url", "table.invalid"),
    ),
]


def test_a_malformed_table_cell_is_quoted_in_both_languages(data: Path) -> None:
    _programmes_cell("period_start", "2026-02-30")(data)
    report = validate(data, today=TODAY)
    [finding] = [f for f in report.findings if f.rule == "table.invalid"]
    assert "“2026-02-30”不是真实存在的日期" in finding.message_zh
    assert "'2026-02-30'" in finding.message_en


def test_a_named_pipe_in_place_of_a_record_is_reported(data: Path) -> None:
    (data / PROJECT).unlink()
    os.mkfifo(data / PROJECT)
    assert (PROJECT, "", "file.special") in findings_of(data)


def test_a_submodule_in_place_of_a_record_is_reported(data: Path) -> None:
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args],
            cwd=data.parent,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    (data / PROJECT).unlink()
    git("add", "-A")
    sha = "0123456789abcdef0123456789abcdef01234567"
    git("update-index", "--add", "--cacheinfo", f"160000,{sha},data/{PROJECT}")
    (data / PROJECT).mkdir()  # as git leaves an uninitialised submodule
    assert (PROJECT, "", "file.submodule") in findings_of(data)


def test_an_unreadable_file_is_reported(data: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    (data / PROJECT).chmod(0)
    assert (PROJECT, "", "file.unreadable") in findings_of(data)


def test_a_file_full_of_errors_lists_fifty_and_counts_the_rest(data: Path) -> None:
    record = load(data, PROJECT)
    record["history"] = [{"date": "x", "status": "y"}] * 200  # within maxItems, all wrong
    save(data, PROJECT, record)
    report = validate(data, today=TODAY)
    mine = [f for f in report.findings if f.file.endswith(PROJECT)]
    assert len(mine) == 51
    assert [f.rule for f in mine].count("file.more_findings") == 1


def test_a_huge_file_is_not_read(data: Path) -> None:
    """A 200 MB record is refused from its size alone, with one finding."""
    with open(data / PROJECT, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    report = validate(data, today=TODAY)
    assert [f.rule for f in report.findings if f.file.endswith(PROJECT)] == ["file.too_large"]


def test_fixture_dataset_is_clean() -> None:
    assert findings_of(BASE) == set()


@pytest.mark.parametrize(
    ("change", "expected"), [(c, e) for _, c, e in CASES], ids=[i for i, _, _ in CASES]
)
def test_defect_is_reported(
    data: Path, change: Callable[[Path], None], expected: tuple[str, str, str]
) -> None:
    change(data)
    assert expected in findings_of(data)


def test_every_rule_has_a_case() -> None:
    """Each registered rule is asserted by some test: a case above, or a test elsewhere
    naming its code (a new rule is one module in ``validate/checks`` and its test)."""
    tests = Path(__file__).resolve().parents[1]
    mentioned = "\n".join(path.read_text(encoding="utf-8") for path in tests.rglob("test_*.py"))
    covered = {expected[2] for _, _, expected in CASES}
    covered |= {code for code in RULES if f'"{code}"' in mentioned}
    assert set(RULES) - covered == set()


def test_clean_text_is_not_flagged(data: Path) -> None:
    """Dates, patent numbers and long digit runs that are not contact data stay quiet."""
    record = load(data, PROJECT)
    record["structure"] = (
        "专利 ZL202310567890.1，2025-06-13 立项，编号 91440101MA5CXN0TXP；- 列表项"
    )
    record["intended_use"] = "适用于 18 岁以上患者；样本量 1300 例，随访 12 个月。"
    save(data, PROJECT, record)
    assert findings_of(data) == set()


def test_all_problems_reported_at_once(data: Path) -> None:
    record = load(data, PROJECT)
    record["contact_route"] = "13800138000"
    record["city"] = " 广州"
    record.pop("institution")
    save(data, PROJECT, record)
    rules = {rule for file, _, rule in findings_of(data) if file == PROJECT}
    assert {"pii.mobile", "text.whitespace", "schema.required"} <= rules


def test_messages_name_field_in_chinese_with_english_line(data: Path) -> None:
    setter(PROJECT, "contact_route", "13800138000")(data)
    report = validate(data, today=TODAY)
    [finding] = [f for f in report.findings if f.rule == "pii.mobile"]
    assert "联系途径" in finding.message_zh and "Contact route" in finding.message_en
    assert "13800138000" not in finding.message_zh  # the number itself is masked


def test_schema_other_is_reachable() -> None:
    from jsonschema.exceptions import ValidationError

    from springrain.validate.checks.schema import describe

    error = ValidationError(
        "boom", validator="dependentRequired", validator_value={}, instance={}, schema={}
    )
    [finding] = describe("x.json", "project", error)
    assert finding.rule == "schema.other"


def test_demo_records_allowed_only_when_asked(data: Path) -> None:
    setter(PROJECT, "demo", True)(data)
    assert (PROJECT, "/demo", "demo.in_data") not in findings_of(data, allow_demo=True)


def test_parallel_and_serial_agree(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import springrain.validate.engine as module
    from springrain import workers

    first = sorted((demo_copy / "projects").rglob("*.json"))[0]
    setter(first.relative_to(demo_copy).as_posix(), "city", " x")(demo_copy)
    monkeypatch.setattr(workers, "cores", lambda: 1)
    serial = validate(demo_copy, today=TODAY, allow_demo=True).findings
    monkeypatch.setattr(workers, "cores", lambda: 2)
    monkeypatch.setattr(module, "CHUNK", 7)  # many chunks, shared between two processes
    parallel = validate(demo_copy, today=TODAY, allow_demo=True).findings
    assert serial == parallel and serial


@pytest.mark.parametrize("cores", [1, 2])
def test_the_records_checked_are_handed_over(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    """``keep_records``: every record read, by this process and by a worker alike, is
    handed over as its file holds it; a file that is not canonical JSON (an error, but
    still read) too."""
    import springrain.validate.engine as module
    from springrain import workers
    from springrain.model.recordset import RecordSet

    first = sorted((demo_copy / "enterprises").glob("*.json"))[0]
    first.write_text(json.dumps(json.loads(first.read_text("utf-8")), indent=4), "utf-8")
    monkeypatch.setattr(workers, "cores", lambda: cores)
    monkeypatch.setattr(module, "CHUNK", 7)  # many chunks, shared between two processes
    report = validate(demo_copy, today=TODAY, allow_demo=True, keep_records=True)
    assert [f.rule for f in report.findings] == ["format.non_canonical"]
    assert report.discovered is not None and report.records is not None
    handed = RecordSet.from_records(demo_copy, report.discovered, report.records)
    assert handed == RecordSet.from_data_dir(demo_copy)
    assert sum(handed.counts().values()) == report.files == 175


def test_records_are_kept_only_from_a_whole_run(data: Path) -> None:
    with pytest.raises(ValueError, match="paths"):
        validate(data, [data / PROJECT], today=TODAY, keep_records=True)
    assert validate(data, today=TODAY).records is None


def test_demo_dataset_validates_clean(demo_source: Path) -> None:
    report = validate(demo_source, allow_demo=True, today=TODAY)
    assert report.findings == []


@pytest.mark.parametrize("absolute", [True, False])
def test_discovered_files_are_shown_as_typed(
    absolute: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folder by folder display paths are the same as working each one out."""
    monkeypatch.chdir(FIXTURES.parent.parent)
    data = BASE if absolute else BASE.relative_to(FIXTURES.parent.parent)
    targets = discover(data).records
    cwd = os.getcwd()
    expected = [(f.path, display_path(f.path, cwd), f.kind) for f in targets]
    assert _displayed(targets, cwd) == expected
    assert expected[0][1].startswith("tests/fixtures/records/")
