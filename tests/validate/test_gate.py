"""The publish gate reads every built file with the contact-data detector: a build from
records that hold only look-alikes passes; contact data that reached an output is caught
in every kind of file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from contact_corpus import ALLOWED, refused
from sitepackage import past_validation
from springrain import pipeline
from springrain.demo import generate, write
from springrain.errors import SpringrainError
from springrain.model.records import load_records, write_record
from springrain.validate import gate


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A small demo build whose records also hold every allowed look-alike."""
    root = tmp_path_factory.mktemp("gate")
    data, package, site = root / "data", root / "package", root / "site"
    write(generate(projects=40, enterprises=10, cooperations=5, seed=5), data)
    for record, text in zip(load_records(data, "project"), ALLOWED, strict=False):
        record["research_team"] = f"示例团队：{text}"
        write_record(data, "project", record)
    pipeline.build(data, package, site, demo=True)
    return data, package, site


def test_a_build_of_look_alikes_passes_the_gate(built: tuple[Path, Path, Path]) -> None:
    _, package, site = built
    assert gate.scan(package, site) == []
    pages = "".join(p.read_text("utf-8") for p in (site / "projects").glob("*.html"))
    assert "ZL202310567890.1" in pages  # the look-alikes are published, not dropped


@pytest.mark.parametrize(
    ("name", "write_leak"),
    [
        (
            "json",
            lambda d, t: (d / "leak.json").write_text(json.dumps({"note": t}, ensure_ascii=False)),
        ),
        ("csv", lambda d, t: (d / "leak.csv").write_text(f"a,b\n1,{t}\n", encoding="utf-8")),
        (
            "html",
            lambda d, t: (d / "leak.html").write_text(f"<p>联系<b>{t}</b></p>", encoding="utf-8"),
        ),
        (
            "attribute",
            lambda d, t: (d / "leak.html").write_text(
                f'<meta name="description" content="{t}">', encoding="utf-8"
            ),
        ),
        (
            "xml",
            lambda d, t: (d / "leak.xml").write_text(
                f"<feed><title>{t}</title></feed>", encoding="utf-8"
            ),
        ),
        ("markdown", lambda d, t: (d / "leak.md").write_text(t, encoding="utf-8")),
    ],
)
@pytest.mark.parametrize("text", [text for _, text in refused()[::23]])
def test_contact_data_in_any_built_file_is_caught(
    tmp_path: Path, name: str, write_leak, text: str
) -> None:
    write_leak(tmp_path, text)
    assert gate.scan(tmp_path), (name, text)


def test_a_leak_in_the_workbook_database_or_search_index_is_caught(
    built: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """Records edited after validation (as if a step had leaked): the gate fails the site."""
    _, package, _ = built
    import shutil

    leaky = tmp_path / "package"
    shutil.copytree(package, leaky)
    projects = json.loads((leaky / "projects.json").read_text("utf-8"))
    projects[0]["project_name"] = "示例项目 联系人 139-1234-5678"
    (leaky / "projects.json").write_text(json.dumps(projects, ensure_ascii=False), "utf-8")
    past_validation(leaky)
    with pytest.raises(SpringrainError) as error:
        pipeline.site(leaky, tmp_path / "site", demo=True)
    assert "139****78" in error.value.message_zh
    leaks = gate.scan(tmp_path / "site")
    kinds = {Path(leak.path).suffix for leak in leaks}
    assert {".html", ".pf_fragment"} <= kinds  # the page and the search index


LEAK = "联系人 139-1234-5678"
# A SHA-256 digest with a run of decimal digits shaped like a Beijing landline.
DIGEST = "01023456789" + "ab" * 26 + "c"


def one_table_database(path: Path, create: str, insert: str, *values: object) -> None:
    import sqlite3

    connection = sqlite3.connect(path)
    connection.execute(create)
    connection.execute(insert, values)
    connection.commit()
    connection.close()


def test_leaks_in_a_workbook_and_a_database_are_caught(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["名称", LEAK])
    book.save(tmp_path / "leak.xlsx")
    one_table_database(
        tmp_path / "leak.sqlite",
        'CREATE TABLE "t ""x""" (a INTEGER, "b c" TEXT)',
        'INSERT INTO "t ""x""" VALUES (1, ?)',
        LEAK,
    )
    assert sorted(Path(leak.path).name for leak in gate.scan(tmp_path)) == [
        "leak.sqlite",
        "leak.xlsx",
    ]


def test_a_workbooks_escaped_text_is_read_as_written(tmp_path: Path) -> None:
    """The sheets' XML is cut as bytes and decoded after: characters the XML escapes
    (&lt; &amp;) and Chinese text around a leak still read as the cell holds them."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([f"<联系&电话>{LEAK}</联系>", "甲&乙"])
    book.save(tmp_path / "book.xlsx")
    texts = gate.texts_of("book.xlsx", (tmp_path / "book.xlsx").read_bytes(), lambda *_: False)
    assert any(f"<联系&电话>{LEAK}</联系>" in text and "甲&乙" in text for text in texts)
    assert [leak.masked for leak in gate.scan(tmp_path)] == ["139****78"]


def test_a_workbooks_sheets_and_a_databases_columns_are_read_as_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each sheet and each column is its own part: an e-mail marker in one (an English
    description, a credit code) makes only that part be read closely; a leak in another
    is still found, and a leak twice in one file is reported once."""
    from openpyxl import Workbook

    from springrain.validate import contacts

    book = Workbook()
    book.active.append(["Tables kept by hand at the programme office", "示例"])
    second = book.create_sheet("leaks")
    second.append([LEAK, "示例"])
    second.append([LEAK])
    book.save(tmp_path / "book.xlsx")
    one_table_database(
        tmp_path / "db.sqlite",
        "CREATE TABLE t (code TEXT, note TEXT)",
        "INSERT INTO t VALUES ('91320000MA0AT5XX1Y', ?)",
        LEAK,
    )
    read_closely: list[str] = []
    read = contacts.read
    monkeypatch.setattr(contacts, "read", lambda text: read_closely.append(text) or read(text))
    # One file a task, as a large file is read: part by part.
    for name in ("book.xlsx", "db.sqlite"):
        leaks = gate.scan_files([str(tmp_path / name)])
        assert [(Path(leak.path).name, leak.masked) for leak in leaks] == [(name, "139****78")]
    assert read_closely  # the parts with a marker or a leak were read closely …
    for text in read_closely:  # … each alone
        assert not ("Tables kept" in text and LEAK in text)
        assert not ("MA0AT5" in text and LEAK in text)


def test_a_zip_member_is_read_unless_it_is_a_file_already_read(tmp_path: Path) -> None:
    import zipfile

    package, site = tmp_path / "package", tmp_path / "site"
    package.mkdir()
    site.mkdir()
    (package / "clean.csv").write_text("a\n示例\n", encoding="utf-8")
    with zipfile.ZipFile(site / "bundle.zip", "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.write(package / "clean.csv", "clean.csv")  # a twin: read once, as the file
        bundle.writestr("projects.json", json.dumps({"note": LEAK}, ensure_ascii=False))
        bundle.writestr("nested/clean.csv", f"a\n{LEAK}\n")  # same name elsewhere: read
    leaks = gate.scan(package, site)
    assert [Path(leak.path).name for leak in leaks] == ["bundle.zip"]
    assert [leak.masked for leak in leaks] == ["139****78"]

    # A member that differs from the file of its name is read, whatever the name.
    with zipfile.ZipFile(site / "bundle.zip", "w") as bundle:
        bundle.writestr("clean.csv", f"a\n{LEAK}\n")
    assert [Path(leak.path).name for leak in gate.scan(package, site)] == ["bundle.zip"]


def test_checksums_are_not_read_as_numbers(tmp_path: Path) -> None:
    assert contacts_in(DIGEST), "the digest must look like a number to test anything"
    (tmp_path / "SHA256SUMS").write_text(f"{DIGEST}  projects.csv\n", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(
        json.dumps({"resources": [{"path": "projects.csv", "hash": f"sha256:{DIGEST}"}]}),
        encoding="utf-8",
    )
    (tmp_path / "data.html").write_text(f"<td><code>{DIGEST}</code></td>", encoding="utf-8")
    assert gate.scan(tmp_path) == []
    # Not a digest: one character more, or a capital letter, and it is read.
    (tmp_path / "data.html").write_text(f"<td>{DIGEST}0</td>", encoding="utf-8")
    assert gate.scan(tmp_path)


def contacts_in(text: str) -> bool:
    from springrain.validate import contacts

    return bool(contacts.find(text))


def test_a_scan_run_in_part_while_busy_finishes_the_rest(tmp_path: Path) -> None:
    """What ``run_while`` read and what ``finish`` read are reported together, with a
    folder included after the scan was made (the search index, written last)."""
    pages = tmp_path / "pages"
    pages.mkdir()
    for number in range(3 * gate.BATCH_FILES):
        (pages / f"{number}.html").write_text(f"<p>示例 {number}</p>", encoding="utf-8")
    (pages / "0.html").write_text(f"<p>{LEAK}</p>", encoding="utf-8")
    (pages / f"{3 * gate.BATCH_FILES - 1}.html").write_text(f"<p>{LEAK}</p>", encoding="utf-8")
    scan = gate.Scan(pages)
    assert len(scan.small) == 3
    calls = iter([True, False])
    scan.run_while(lambda: next(calls))
    assert len(scan.small) == 2  # one batch read while busy, then it stopped asking
    later = tmp_path / "later"
    later.mkdir()
    (later / "fragment.json").write_text(json.dumps({"t": LEAK}, ensure_ascii=False), "utf-8")
    scan.include(later)
    leaks = scan.finish()
    assert sorted(Path(leak.path).name for leak in leaks) == [
        "0.html",
        f"{3 * gate.BATCH_FILES - 1}.html",
        "fragment.json",
    ]
    assert scan.small == [] and scan.large == []


def test_folders_that_arrive_while_busy_are_read_once(tmp_path: Path) -> None:
    """The search index's parts arrive one by one while Pagefind works: each is read as it
    comes, and including the whole index afterwards reads only what did not arrive."""
    site = tmp_path / "site"
    index = site / "pagefind"
    for part in ("projects", "projects-2", "enterprises"):
        (index / part).mkdir(parents=True)
        (index / part / "fragment.json").write_text(
            json.dumps({"part": part, "t": LEAK}, ensure_ascii=False), encoding="utf-8"
        )
    (index / "top.json").write_text(json.dumps({"t": "示例"}), encoding="utf-8")
    (site / "page.html").write_text("<p>示例</p>", encoding="utf-8")
    scan = gate.Scan(site, leaving_out=index)
    arrivals = iter([[], [index / "projects"], [index / "projects"]])
    busy = iter([True, True, True, False])
    scan.run_while(lambda: next(busy), lambda: next(arrivals))
    assert scan.small == []  # the page, then the part that arrived, both read meanwhile
    scan.include(index)
    assert sorted(path for task in scan.small + scan.large for path in task.paths) == [
        str(index / "enterprises" / "fragment.json"),
        str(index / "projects-2" / "fragment.json"),
        str(index / "top.json"),
    ]
    leaks = scan.finish()
    assert sorted(Path(leak.path).parent.name for leak in leaks) == [
        "enterprises",
        "projects",
        "projects-2",
    ]


def test_the_build_reads_the_search_index_written_after_the_pages(
    built: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages are read while Pagefind still works; its bundle, moved in last, is read
    too: a leak only in the search index stops the site."""
    from springrain.site import search_index

    _, package, _ = built
    stub = search_index.search_stub

    def leaky_stub(kind: str, record: dict) -> str:
        return stub(kind, record).replace("</div></body>", f"<p>{LEAK}</p></div></body>")

    monkeypatch.setattr(search_index, "search_stub", leaky_stub)
    with pytest.raises(SpringrainError) as error:
        pipeline.site(package, tmp_path / "site", demo=True)
    assert "pagefind" in error.value.message_zh and "139****78" in error.value.message_zh
    assert ".html:" not in error.value.message_zh  # no page holds it: only the index


@pytest.mark.parametrize("kind", ["project", "enterprise"])
def test_a_leak_in_the_first_or_the_last_part_of_the_index_is_caught(
    built: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The first part is read while Pagefind makes the next; the last after Pagefind is
    done, once it is moved in: a leak in either stops the site, named by its part."""
    from springrain.site import search_index

    _, package, _ = built
    stub = search_index.search_stub

    def leaky_stub(stub_kind: str, record: dict) -> str:
        page = stub(stub_kind, record)
        return (
            page.replace("</div></body>", f"<p>{LEAK}</p></div></body>")
            if stub_kind == kind
            else page
        )

    monkeypatch.setattr(search_index, "search_stub", leaky_stub)
    with pytest.raises(SpringrainError) as error:
        pipeline.site(package, tmp_path / "site", demo=True)
    part = "projects" if kind == "project" else "enterprises"
    assert f"pagefind/{part}/" in error.value.message_zh
    other = "enterprises" if kind == "project" else "projects"
    assert f"pagefind/{other}/" not in error.value.message_zh


def test_the_workbook_is_read_first_of_the_large_files(tmp_path: Path) -> None:
    """A workbook is small on disk but the most text to read: started first, so the
    slowest task never starts last."""
    import random
    import string
    import zipfile

    letters = "".join(random.Random(1).choices(string.ascii_lowercase, k=3 * gate.BATCH_BYTES))
    with zipfile.ZipFile(tmp_path / "book.xlsx", "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/worksheets/sheet1.xml", f"<t>{letters}</t>")
    (tmp_path / "big.csv").write_bytes(b"a\n" + b"b" * 2 * gate.BATCH_BYTES + b"\n")
    scan = gate.Scan(tmp_path)
    assert os.path.getsize(tmp_path / "book.xlsx") > gate.BATCH_BYTES
    assert os.path.getsize(tmp_path / "book.xlsx") < os.path.getsize(tmp_path / "big.csv")
    assert [Path(task[0][0]).name for task in scan.large] == ["book.xlsx", "big.csv"]


def test_no_small_file_is_skipped_when_several_roots_hold_large_ones(tmp_path: Path) -> None:
    """Large and small files are told apart by size, root by root: a small file of the
    first root is read though the second root has large files too."""
    package, site = tmp_path / "package", tmp_path / "site"
    for root in (package, site):
        root.mkdir()
        (root / "large.csv").write_bytes(b"a\n" + b"b" * 1000 + b"\n" * gate.BATCH_BYTES)
    (package / "leak.csv").write_text(f"a\n{LEAK}\n", encoding="utf-8")
    (site / "page.html").write_text("<p>示例</p>", encoding="utf-8")
    scan = gate.Scan(package, site)
    assert sorted(Path(task[0][0]).name for task in scan.large) == ["large.csv", "large.csv"]
    assert [Path(leak.path).name for leak in scan.finish()] == ["leak.csv"]


def test_a_cell_longer_than_the_csv_modules_default_limit_is_read(tmp_path: Path) -> None:
    (tmp_path / "huge.csv").write_text("a\n" + "示例" * 100_000 + LEAK + "\n", encoding="utf-8")
    [leak] = gate.scan(tmp_path)
    assert (Path(leak.path).name, leak.masked) == ("huge.csv", "139****78")


def test_the_longest_tasks_are_at_both_ends_and_the_shortest_in_the_middle() -> None:
    """This process takes tasks from the front and the workers from the back: each side
    starts with a long task and ends with a short one, so neither is left alone at the end
    with a long one (the workbook, the database)."""
    tasks = [gate.Task([f"{work}"], (), work) for work in (5, 90, 1, 40, 70, 3, 20)]
    ordered = gate.from_both_ends(tasks)
    assert [task.work for task in ordered] == [90, 40, 5, 1, 3, 20, 70]
    assert sorted(ordered, key=lambda task: task.work) == sorted(tasks, key=lambda t: t.work)
    assert gate.from_both_ends([]) == []


def test_every_file_is_in_one_task_with_its_size_counted_once(tmp_path: Path) -> None:
    """The sizes the tasks are weighed by come from the walk itself: each file read once,
    a linked copy of a file not at all."""
    (tmp_path / "big.csv").write_bytes(b"a\n" + b"b" * gate.BATCH_BYTES + b"\n")
    for number in range(gate.BATCH_FILES + 1):
        (tmp_path / f"{number}.html").write_text("<p>示例</p>", encoding="utf-8")
    os.link(tmp_path / "0.html", tmp_path / "copy.html")
    scan = gate.Scan(tmp_path)
    paths = [path for task in scan.large + scan.small for path in task.paths]
    assert len(paths) == len(set(paths)) == gate.BATCH_FILES + 2
    assert [task.work for task in scan.large] == [gate.BATCH_BYTES + 3]
    assert sum(task.work for task in scan.small) == (gate.BATCH_FILES + 1) * len(
        "<p>示例</p>".encode()
    )
