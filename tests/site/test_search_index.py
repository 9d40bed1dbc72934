"""The search index as a step of its own: the same bundle the site makes for itself, and a
bundle made from other records refused."""

from __future__ import annotations

import json
import shutil
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from sitepackage import add_hostile, reseal, write_package
from springrain.demo import generate
from springrain.errors import SpringrainError
from springrain.site import search_index
from springrain.site.build import build_site


@pytest.fixture(scope="module")
def search_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("package") / "package"
    write_package(generate(projects=30, enterprises=8, cooperations=5, seed=4), root)
    add_hostile(root)
    return root


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_the_site_indexes_every_record_a_bundle_per_kind(
    search_package: Path, tmp_path: Path
) -> None:
    build_site(search_package, tmp_path / "site", demo=True)
    bundle = tmp_path / "site" / "pagefind"
    assert len(list((bundle / "projects" / "fragment").iterdir())) == 30 + 1
    assert len(list((bundle / "enterprises" / "fragment").iterdir())) == 8 + 1
    # The first bundle carries Pagefind's script and wasm; the one merged into it does not,
    # and neither carries Pagefind's own interfaces or its worker.
    assert (bundle / "projects" / "pagefind.js").is_file()
    assert not (bundle / "enterprises" / "pagefind.js").exists()
    for name in search_index.UNUSED:
        assert not (bundle / "projects" / name).exists()
    # One wasm: the one of the index's language (no stemmer), and only in the first bundle.
    assert [p.name for p in bundle.rglob("wasm.*")] == [search_index.INDEX_WASM]
    assert (bundle / "projects" / search_index.INDEX_WASM).is_file()
    entry = json.loads((bundle / "projects" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == [search_index.INDEX_LANGUAGE]
    html = (tmp_path / "site" / "search.html").read_text(encoding="utf-8")
    assert "pagefind/projects/" in html and "pagefind/enterprises/" in html
    assert f'data-language="{search_index.INDEX_LANGUAGE}"' in html


def test_a_large_kind_is_indexed_in_parts_the_search_page_merges(
    search_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "RECORDS_PER_BUNDLE", 12)
    build_site(search_package, tmp_path / "site", demo=True)
    bundle = tmp_path / "site" / "pagefind"
    sizes = {
        name: len(list((bundle / name / "fragment").iterdir()))
        for name in ("projects", "projects-2", "projects-3")
    }
    assert sizes == {"projects": 11, "projects-2": 11, "projects-3": 9}  # 30 + 1 hostile
    assert (bundle / "projects" / "pagefind.js").is_file()
    assert not (bundle / "projects-2" / "pagefind.js").exists()
    html = (tmp_path / "site" / "search.html").read_text(encoding="utf-8")
    assert "pagefind/projects-2/" in html and "pagefind/projects-3/" in html


def test_search_terms_are_ordered_pairs_that_read_back() -> None:
    words = search_index.search_terms("可降解镁合金支架，用于脑血管 PD-1 检测", "输注泵")
    assert words.split() == [
        "可降", "降解", "解镁", "镁合", "合金", "金支", "支架", "，",
        "用于", "于脑", "脑血", "血管", "·", "PD", "-", "1", "·", "检测", "·", "输注", "注泵",
    ]  # fmt: skip
    # Each pair's first character, and the last pair's second, give the text back.
    run = ["可降", "降解", "解镁", "镁合", "合金", "金支", "支架"]
    assert "".join(w[0] for w in run) + run[-1][1] == "可降解镁合金支架"
    assert search_index.search_terms("甲") == "甲"


def _words(text: str) -> list[str]:
    """The words of ``search_terms``, without the marks between runs."""
    return [w for w in search_index.search_terms(text).split() if search_index.WORD_CHAR.match(w)]


def test_full_width_letters_and_digits_are_indexed_as_ascii() -> None:
    # What a Chinese input method types in full-width mode is the word written in ASCII.
    for wide, narrow in (
        ("Ｓｉｅｍｅｎｓ", "Siemens"),
        ("ＳＨ－２０２６－００８７", "SH-2026-0087"),
        ("３Ｄ打印支架", "3D打印支架"),
        ("ⅢＡ期①号", "IIIA期1号"),
        ("\uf900\uf901", "\u8c48\u66f4"),  # compatibility ideographs, the unified ones
    ):
        assert _words(wide) == _words(narrow) != [], wide
    # Chinese punctuation stays as written in the marks between runs (excerpts are rebuilt
    # from them), though NFKC would make it ASCII.
    assert (
        search_index.search_terms("３Ｄ打印，用于（脑血管）") == "3D 打印 ， 用于 （ 脑血 血管 ）"
    )


def test_every_character_is_read_as_its_nfkc() -> None:
    """search_terms reads each character as its NFKC, one at a time: what the search page
    does to the query (a browser test holds the two to each other). ``folds`` lists the
    characters of the first planes only: no character beyond them has another NFKC."""
    last = search_index.FOLDED_PLANES << 16
    assert all(
        unicodedata.normalize("NFKC", chr(point)) == chr(point)
        for point in range(last, sys.maxunicode + 1)
    )
    for point in range(last):
        if 0xD800 <= point < 0xE000:
            continue
        char = chr(point)
        assert _words(char) == _words(unicodedata.normalize("NFKC", char)), hex(point)
    # One character at a time: Ａ and a combining accent are A and a mark, not Á (no word).
    assert _words("Ａ\u0301") == ["A"]


def test_stub_holds_every_text_field_and_the_labels() -> None:
    project = {
        "id": "GD-2026-0001",
        "project_name": "示例项目",
        "province": "GD",
        "status": "对接中",
        "institution": "某医院",
        "clinical_need": "影像引导",
        "intellectual_property": [
            {"kind": "发明专利", "title": "一种导管", "status": "申请中", "owners": ["某医院"]}
        ],
    }
    stub = search_index.search_stub("project", project)
    for pair in ("影像", "像引", "导管", "广东", "对接", "接中", "某医", "医院"):
        assert pair in stub, pair
    assert search_index.TEXT_MARK in stub
    assert 'data-pagefind-meta="province">广东省<' in stub


def test_empty_package_gets_no_index_and_the_site_still_builds(tmp_path: Path) -> None:
    empty = tmp_path / "package"
    write_package(generate(projects=0, enterprises=0, cooperations=0, seed=1), empty)
    build_site(empty, tmp_path / "site")
    assert not (tmp_path / "site" / "pagefind").exists()
    assert "暂无数据" in (tmp_path / "site" / "search.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("sendfile_works", [True, False])
def test_bundle_copied_whole_across_file_systems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sendfile_works: bool
) -> None:
    """copy_tree (used when the RAM disk and the destination differ) copies every file and
    folder byte for byte, with sendfile or, where it cannot write files, without."""
    source = tmp_path / "bundle"
    (source / "fragment" / "deep").mkdir(parents=True)
    (source / "pagefind.js").write_bytes(b"x" * 200_000)
    (source / "fragment" / "a.pf_fragment").write_bytes(bytes(range(256)) * 10)
    (source / "fragment" / "deep" / "empty").write_bytes(b"")
    if not sendfile_works:

        def refuse(*args: object) -> int:
            raise OSError(95, "Operation not supported")

        monkeypatch.setattr(search_index.os, "sendfile", refuse)
    search_index.copy_tree(str(source), str(tmp_path / "copy"))
    assert _files(tmp_path / "copy") == _files(source)
    assert (tmp_path / "copy" / "fragment" / "deep").is_dir()


def test_id_that_would_leave_the_stub_folder_is_refused(
    search_package: Path, tmp_path: Path
) -> None:
    hostile = tmp_path / "package"
    shutil.copytree(search_package, hostile)
    projects = json.loads((hostile / "projects.json").read_text(encoding="utf-8"))
    projects[0]["id"] = "../../escaped"
    (hostile / "projects.json").write_text(json.dumps(projects, ensure_ascii=False), "utf-8")
    reseal(hostile)
    with pytest.raises(SpringrainError) as error:
        build_site(hostile, tmp_path / "site")
    assert "编号无效" in error.value.message_zh
    assert not (tmp_path / "escaped.html").exists()


def test_parts_indexed_before_mkdocs_ran_are_moved_in_after_it(
    search_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each part is moved into the site as soon as it is made, but never before mkdocs has
    emptied and filled the site's folder: a slow mkdocs loses no part."""
    import time

    from springrain.site import mkdocs_build

    monkeypatch.setattr(search_index, "RECORDS_PER_BUNDLE", 12)
    run_mkdocs = mkdocs_build.run_mkdocs

    def slow_mkdocs(*args, **kwargs):
        time.sleep(4)  # Pagefind makes a part of 11 stubs in well under a second
        return run_mkdocs(*args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "run_mkdocs", slow_mkdocs)
    build_site(search_package, tmp_path / "site", demo=True)
    bundle = tmp_path / "site" / "pagefind"
    parts = ["enterprises", "projects", "projects-2", "projects-3"]
    assert sorted(p.name for p in bundle.iterdir()) == parts
    for part in parts:
        assert any((bundle / part / "fragment").iterdir()), part


def test_the_index_is_the_same_whatever_order_the_stubs_were_written_in(
    search_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stubs are written by every core, in no set order, and Pagefind numbers pages in
    the order it lists them (on a RAM disk: the order they were made). Two builds whose
    stubs were written in opposite orders give the same index, byte for byte."""
    monkeypatch.setattr(search_index, "STUBS_PER_TASK", 4)
    bundles = []
    for backwards in (False, True):

        def in_order(function: Any, tasks: list[Any], backwards: bool = backwards) -> list[Any]:
            return [function(task) for task in (tasks[::-1] if backwards else tasks)]

        monkeypatch.setattr(search_index.workers, "map_shared", in_order)
        build_site(search_package, tmp_path / f"site-{backwards}", demo=True)
        bundles.append(_files(tmp_path / f"site-{backwards}" / "pagefind"))
    assert bundles[0] == bundles[1]


def test_the_scratch_lets_go_of_each_part_once_it_is_indexed_and_moved_in(
    search_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stubs of a part are deleted once Pagefind has indexed them, and its bundle once
    it is in the site: when the next part starts, the scratch holds only what is to come."""
    monkeypatch.setattr(search_index, "RECORDS_PER_BUNDLE", 12)
    start = search_index.start
    seen: dict[str, tuple[list[str], list[str]]] = {}

    def recording_start(stubs: Path, part: search_index.Part, bundle: Path):
        seen[part.name] = (
            sorted(p.name for p in stubs.iterdir()),
            sorted(p.name for p in bundle.parent.iterdir()) if bundle.parent.exists() else [],
        )
        return start(stubs, part, bundle)

    monkeypatch.setattr(search_index, "start", recording_start)
    build_site(search_package, tmp_path / "site", demo=True)
    assert seen["projects"][0] == ["enterprises", "projects", "projects-2", "projects-3"]
    assert seen["projects-2"][0] == ["enterprises", "projects-2", "projects-3"]
    assert seen["enterprises"][0] == ["enterprises"]
    # The part before the one starting is still being made or moved in; none older stays.
    assert seen["projects-3"][1] in (["projects-2"], [])
    assert seen["enterprises"][1] in (["projects-3"], [])
    bundle = tmp_path / "site" / "pagefind"
    for part in ("enterprises", "projects", "projects-2", "projects-3"):
        assert any((bundle / part / "fragment").iterdir()), part


def test_each_part_is_announced_once_it_is_whole_in_the_site(
    search_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the publish gate may read before the index is done: only parts moved in whole."""
    import time

    from springrain.site.build import building

    monkeypatch.setattr(search_index, "RECORDS_PER_BUNDLE", 12)
    site = tmp_path / "site"
    seen: list[list[Path]] = []
    with building(search_package, site, demo=True) as result:
        while result.indexing():
            seen.append(result.arrived())
            time.sleep(0.01)
        seen.append(result.arrived())  # Pagefind is done; the last part may be moving in
    seen.append(result.arrived())  # the block left: every part is in
    order = ["projects", "projects-2", "projects-3", "enterprises"]
    assert [path.name for path in seen[-1]] == order
    for announced in seen:  # a prefix of the parts, each already whole in the site
        assert [path.name for path in announced] == order[: len(announced)]
    for path in seen[-1]:
        assert path.parent == site / "pagefind"
        assert (path / "pagefind-entry.json").is_file() and any((path / "fragment").iterdir())


def test_a_part_pagefind_fails_on_stops_the_site_with_its_message(
    search_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    monkeypatch.setattr(search_index, "RECORDS_PER_BUNDLE", 12)
    start = search_index.start

    def failing_second_part(stubs: Path, part: search_index.Part, bundle: Path):
        if part.name != "projects-2":
            return start(stubs, part, bundle)
        return subprocess.Popen(
            [sys.executable, "-c", "import sys; sys.stderr.write('索引坏了'); sys.exit(3)"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    monkeypatch.setattr(search_index, "start", failing_second_part)
    with pytest.raises(SpringrainError) as error:
        build_site(search_package, tmp_path / "site", demo=True)
    assert "退出码 3" in error.value.message_zh and "索引坏了" in error.value.message_zh


def test_pagefind_that_cannot_start_stops_the_site(
    search_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error in the indexing thread reaches the build: never a site without its index."""

    def cannot_start(*_: object) -> None:
        raise OSError("no pagefind here")

    monkeypatch.setattr(search_index, "start", cannot_start)
    with pytest.raises(OSError, match="no pagefind here"):
        build_site(search_package, tmp_path / "site", demo=True)
