"""Contact data in any spelling is found; text that only looks like it is not; the scan is
linear (bounded work on long input, asserted by input size, not by wall time)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_corpus import ALLOWED, NUMERALS_FINANCE, NUMERALS_PLAIN, SEPARATORS, SPLIT, refused
from springrain.model.records import canonical_bytes
from springrain.validate import contacts
from springrain.validate.checks.pii import find_pii
from springrain.validate.engine import validate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "records"
PROJECT = "projects/GD/GD-2025-0001.json"
CORPUS = refused()


def test_the_corpus_has_at_least_200_spellings() -> None:
    assert len(CORPUS) >= 200
    assert len({text for _, text in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(("kind", "text"), CORPUS)
def test_every_spelling_is_found_alone_and_in_a_sentence(kind: str, text: str) -> None:
    assert kind in {hit.kind for hit in contacts.find(text)}, text
    assert kind in {hit.kind for hit in contacts.find(f"如有问题请联系{text}（办公时间）")}, text


@pytest.mark.parametrize("text", ALLOWED)
def test_text_that_only_looks_like_contact_data_passes(text: str) -> None:
    assert contacts.find(text) == []


def test_masks_never_repeat_the_whole_number() -> None:
    for _, text in CORPUS:
        for hit in contacts.find(text):
            assert "12345678" not in hit.masked and "1231002" not in hit.masked


def _record_with(data: Path, **fields: str) -> None:
    record = json.loads((data / PROJECT).read_text("utf-8"))
    record.update(fields)
    (data / PROJECT).write_bytes(canonical_bytes("project", record))


def test_validate_refuses_every_spelling(tmp_path: Path) -> None:
    """Every spelling in a record of its own, all in one run."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES, data)
    base = json.loads((data / PROJECT).read_text("utf-8"))
    for number, (_, text) in enumerate(CORPUS, start=100):
        record = {**base, "id": f"GD-2025-{number:04d}", "research_team": f"团队负责人{text}。"}
        (data / f"projects/GD/GD-2025-{number:04d}.json").write_bytes(
            canonical_bytes("project", record)
        )
    report = validate(data, today=__import__("datetime").date(2026, 11, 27))
    flagged = {f.file.rsplit("/", 1)[-1] for f in report.errors if f.rule.startswith("pii.")}
    missed = [
        text
        for number, (_, text) in enumerate(CORPUS, start=100)
        if f"GD-2025-{number:04d}.json" not in flagged
    ]
    assert missed == []


@pytest.mark.parametrize(("first", "second"), SPLIT)
def test_a_number_split_across_two_fields_is_found(tmp_path: Path, first: str, second: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES, data)
    _record_with(data, structure=first, working_principle=second)
    report = validate(data, today=__import__("datetime").date(2026, 11, 27))
    assert [f.rule for f in report.errors] == ["pii.split"]


def test_words_are_read_together_across_the_codes_between_them(tmp_path: Path) -> None:
    """A number split between two fields a person writes, with only vocabulary codes
    between them in the file (联系途径 … 其他阶段说明), is read as one."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES, data)
    _record_with(data, contact_route="成果转化办公室139", stage="其他", stage_note="12345678")
    report = validate(data, today=__import__("datetime").date(2026, 11, 27))
    assert [f.rule for f in report.errors] == ["pii.split"]


def test_codes_and_dates_beside_the_words_make_no_number(tmp_path: Path) -> None:
    """An address that ends in a house number, then the enterprise's field codes, dates and
    id in the file: digits next to each other only by the order of the fields. Each is
    still read alone."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES, data)
    path = data / "enterprises" / "ENT-0001.json"
    record = json.loads(path.read_text("utf-8"))
    record.pop("credit_code", None)
    record.update(province="HK", address="香港九龙观塘道139", fields=["01", "02", "03", "04"])
    path.write_bytes(canonical_bytes("enterprise", record))
    report = validate(data, today=__import__("datetime").date(2026, 11, 27))
    assert [f for f in report.errors if f.rule.startswith("pii.")] == []
    record["submitted_by"] = "13912345678"  # a login is read alone
    path.write_bytes(canonical_bytes("enterprise", record))
    report = validate(data, today=__import__("datetime").date(2026, 11, 27))
    assert [(f.pointer, f.rule) for f in report.errors if f.rule.startswith("pii.")] == [
        ("/submitted_by", "pii.mobile")
    ]


def test_contact_data_in_a_hand_kept_table_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES, data)
    path = data / "programmes.csv"
    lines = path.read_text("utf-8").splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[1], "方案 联系人 139-1234-5678", 1)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    report = validate(data, today=__import__("datetime").date(2026, 11, 27))
    assert ("programmes.csv", "pii.mobile") in {
        (f.file.rsplit("/", 1)[-1], f.rule) for f in report.errors
    }


def test_a_formula_in_a_hand_kept_table_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES, data)
    path = data / "programmes.csv"
    lines = path.read_text("utf-8").splitlines()
    cells = lines[1].split(",")
    cells[1] = '"=HYPERLINK(""http://x"")"'  # the programme's name
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    report = validate(data, today=__import__("datetime").date(2026, 11, 27))
    assert ("programmes.csv", "/2/name_zh", "text.formula") in {
        (f.file.rsplit("/", 1)[-1], f.pointer, f.rule) for f in report.errors
    }


# ---------------------------------------------------------------- any spelling of any mobile

mobile_numbers = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text("0123456789", min_size=9, max_size=9),
)
separator = st.sampled_from(SEPARATORS)
alphabets = st.sampled_from(
    ["0123456789", NUMERALS_PLAIN, NUMERALS_FINANCE, "０１２３４５６７８９"]
)


@st.composite
def spellings(draw: st.DrawFn) -> str:
    number = draw(mobile_numbers)
    style = draw(st.sampled_from(["3-4-4", "digit by digit", "whole", "3-8"]))
    digits = [draw(alphabets)[int(d)] for d in number]
    if style == "digit by digit":
        sep = draw(separator)
        return sep.join(digits)
    cuts = {"3-4-4": [3, 7], "3-8": [3], "whole": []}[style]
    parts, last = [], 0
    for cut in [*cuts, 11]:
        parts.append("".join(digits[last:cut]))
        last = cut
    return draw(separator).join(parts)


@settings(max_examples=500, deadline=None)
@given(
    spellings(),
    st.sampled_from(["", "电话", "联系：", "手机号码为 "]),
    st.sampled_from(["", "。", "（办公室）"]),
)
def test_any_spelling_of_any_mobile_is_refused(text: str, before: str, after: str) -> None:
    assert "mobile" in {hit.kind for hit in contacts.find(before + text + after)}


# ---------------------------------------------------------------- the prefilter

# Everything the detector reads: digits of every kind, numerals, separators, X, the e-mail
# markers, invisible characters, and letters and ideographs that end a run.
PIECES = [
    *"0123456789" * 4,
    *"０１２３４５６７８９①②⑩⒈⒳¹٣۵१𝟘㋀一二三四五六七八九零〇两幺壹贰叁",
    *" -./()_,+:：、，。—–\n\u3000",
    *"XxＸａbc中文号年",
    "@",
    " at ",
    "[at]",
    "艾特",
    "\u00ad",
    "\u200b",
    "139",
    "1391234",
    "021",
    "+86 ",
    "0086",
    "110105",
    "19491231",
    "2025-03-01",
]


def test_the_prefilter_never_hides_what_the_full_reading_finds() -> None:
    """``find`` reads a text only when one RE2 scan says it may hold something: on any text,
    it gives what the full reading (``read``) gives."""
    import random

    rng = random.Random(11)
    found = 0
    for _ in range(30_000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(3, 40)))
        expected = contacts.read(text)
        found += bool(expected)
        assert contacts.find(text) == expected, repr(text)
    assert found > 1_000  # the texts exercise the detector, not only the prefilter


def test_a_long_text_read_in_pieces_gives_what_it_gives_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pieces are cut only where no run of digits continues, and a piece whose numbers the
    prefilter passes holds none: reading in pieces of 50 characters finds what reading
    whole finds."""
    import random

    rng = random.Random(7)
    texts = [
        "".join(rng.choice([*PIECES, "项目", "abc", "丨"]) for _ in range(rng.randint(20, 200)))
        for _ in range(3_000)
    ]
    whole = [contacts.read(text) for text in texts]
    monkeypatch.setattr(contacts, "PIECE", 50)
    assert [contacts.read(text) for text in texts] == whole


def test_windows_are_those_of_one_pass_over_the_markers() -> None:
    """The windows RE2 and ``re`` find between them are the ones a single pass over every
    marker gives (the way the site's web form finds them)."""
    import random

    def one_pass(text: str) -> list[tuple[int, int]]:
        windows: list[tuple[int, int]] = []
        start = end = -1
        for match in contacts._compiled()["marker"].finditer(text):
            if match.start() > end:
                if end >= 0:
                    windows.append((start, end))
                start = max(0, match.start() - contacts.WINDOW_BEFORE)
            end = match.end() + contacts.WINDOW_AFTER
        return [*windows, (start, end)] if end >= 0 else windows

    rng = random.Random(5)
    pieces = ["@", " at ", "at", "艾特", "[at]", "a", " ", "x" * 50, "中文" * 40, "\n"]
    for _ in range(3_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        assert list(contacts._windows(text)) == one_pass(text), repr(text)


@pytest.mark.parametrize(("kind", "text"), CORPUS)
def test_the_prefilter_lets_every_refused_spelling_through(kind: str, text: str) -> None:
    """The text as the prefilter meets it: with its character references decoded."""
    decoded = contacts.REFERENCE.sub(contacts._referenced, text)
    assert contacts._prefilters()["all"].search(decoded), text


def test_ordinary_record_text_skips_the_full_reading() -> None:
    """Dates, ids, patent numbers and numerals in words are passed by the prefilter."""
    for text in [
        "GD-2025-0001\n1.0",
        "ZL 2021 1 0123456.7\n一种可降解支架",
        "2025年3月1日至2026-12-31",
        "第一、二、三期，共 1234 例",
        "注册证号：粤械注准20252140123",
    ]:
        assert not contacts._prefilters()["all"].search(text), text


# ---------------------------------------------------------------- bounded work


@pytest.mark.parametrize(
    "text",
    [
        "1" * 1_000_000,
        "1 " * 500_000,
        "12 " * 333_333,
        "a" * 999_990 + "@b.cn",
        "@" * 1_000_000,
        " at " * 250_000,
        "一" * 1_000_000,
        "139\u00ad" * 250_000,
        "0" * 1_000_000,
        ("x" * 60 + "@") * 16_000,
    ],
    ids=[
        "digits",
        "spaced",
        "pairs",
        "local",
        "at-signs",
        "at-words",
        "numerals",
        "hyphens",
        "zeros",
        "many-at",
    ],
)
def test_a_megabyte_is_scanned_with_linear_work(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counts the characters the number analysis and the e-mail windows look at: at most a
    small multiple of the input, whatever its shape."""
    looked = {"digits": 0, "windows": 0}
    digits_of, email_view = contacts._digits_of, contacts._email_view

    def counting_digits(run: str) -> str:
        looked["digits"] += len(run)
        return digits_of(run)

    def counting_view(window: str) -> str:
        looked["windows"] += len(window)
        return email_view(window)

    monkeypatch.setattr(contacts, "_digits_of", counting_digits)
    monkeypatch.setattr(contacts, "_email_view", counting_view)
    contacts.find(text)
    assert looked["digits"] <= 2 * len(text)
    assert looked["windows"] <= 2 * len(text)


def test_a_text_crowded_with_numbers_is_reported_not_passed() -> None:
    """Past the candidate budget the detector stops looking, and says so: a mobile hidden
    after thousands of decoys is never passed unexamined."""
    decoys = "1 3 9 " * 20_000
    hits = contacts.find(decoys + "联系 13912345678")
    assert contacts.CROWDED in {hit.kind for hit in hits}
    assert ("pii.crowded", "…") in find_pii(decoys)


def test_a_long_text_with_ordinary_numbers_is_not_crowded() -> None:
    """The budget grows with the text: a data file's worth of dates, counts and patent
    numbers is read to its end."""
    row = "ZL 2025 1 0123456.7, 2025-03-01, 共 1234 例；"
    hits = contacts.find(row * 50_000 + "电话 021-61234567")
    assert {hit.kind for hit in hits} == {contacts.LANDLINE}


@pytest.mark.parametrize(
    "code",
    ["1101051949123100²2", "110105194912310²2", "11010519491231²", "①10105194912310021"],
)
def test_a_digit_int_cannot_read_makes_no_id_number_and_no_crash(code: str) -> None:
    assert contacts.is_id_number(code) is False


def test_half_a_surrogate_pair_reads_as_a_separator_not_a_crash() -> None:
    assert [hit.kind for hit in contacts.find("电话 139\ud8001234\udfff5678")] == ["mobile"]
    assert contacts.find("\ud800" * 10) == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("编号 {singles} 139 1234 5678", ["mobile"]),
        ("编号 {singles} 1 3 9 1 2 3 4 5 6 7 8", []),
        ("电话 1 3 9 1 2 3 4 5 6 7 8", ["mobile"]),
        ("电话 139-1234-5678 {singles}", ["mobile"]),
    ],
)
def test_a_long_stretch_of_single_digits_hides_nothing_beside_it(text: str, kinds: list) -> None:
    """A candidate that starts inside a long stretch of single digits is passed over
    unread (it can be no number); one that starts after it, or before it, is read."""
    singles = " ".join("12345678901234567890123456")
    assert sorted(hit.kind for hit in contacts.find(text.format(singles=singles))) == kinds
