"""The search index as a step of its own: the same bundle the site makes for itself, and a
bundle made from other records refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sitepackage import add_hostile, write_package
from springrain.demo import generate
from springrain.errors import SpringrainError
from springrain.site import search_index
from springrain.site.build import build_site, finish_site
from springrain.site.search_index import build_bundle


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("package") / "package"
    write_package(generate(projects=30, enterprises=8, cooperations=5, seed=4), root)
    add_hostile(root)
    return root


@pytest.fixture(scope="module")
def bundle(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search") / "search"
    assert build_bundle(package, out) == 30 + 8 + 2  # the two hostile fixture records too
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_prebuilt_bundle_is_the_one_the_site_makes_itself(
    package: Path, bundle: Path, tmp_path: Path
) -> None:
    own = tmp_path / "own"
    build_site(package, own, demo=True, jobs=1)
    given = tmp_path / "given"
    build_site(package, given, demo=True, jobs=1, search_bundle=bundle)
    assert _files(given / "pagefind") == _files(own / "pagefind")
    assert len(list((given / "pagefind" / "fragment").iterdir())) == 40
    # The site links the bundle in; the bundle itself stays for the next build.
    assert (bundle / "pagefind" / "pagefind-entry.json").is_file()


def test_bundle_from_other_records_is_refused(package: Path, bundle: Path, tmp_path: Path) -> None:
    changed = tmp_path / "package"
    shutil.copytree(package, changed)
    projects = json.loads((changed / "projects.json").read_text(encoding="utf-8"))
    projects[0]["project_name"] = "示例：改过名称的项目"
    (changed / "projects.json").write_text(json.dumps(projects, ensure_ascii=False), "utf-8")
    with pytest.raises(SpringrainError) as error:
        build_site(changed, tmp_path / "site", jobs=1, search_bundle=bundle)
    assert "另一版记录" in error.value.message_zh
    assert "search-index again" in error.value.message_en


def test_missing_bundle_is_refused_through_the_cli(package: Path, tmp_path: Path, run_cli) -> None:
    (tmp_path / "empty").mkdir()
    code, output = run_cli(
        "site", "--package", str(package), "--out", str(tmp_path / "site"),
        "--search-bundle", str(tmp_path / "empty"),
    )  # fmt: skip
    assert code == 1
    assert "不是完整的搜索索引" in output
    assert "Error:" in output


def test_search_index_command(package: Path, tmp_path: Path, run_cli) -> None:
    code, output = run_cli(
        "search-index", "--package", str(package), "--out", str(tmp_path / "search")
    )
    assert code == 0, output
    assert "搜索索引已生成" in output
    assert (tmp_path / "search" / "source.json").is_file()


def test_search_index_refuses_to_empty_the_repository(package: Path, run_cli) -> None:
    from springrain.config import REPO_ROOT

    code, output = run_cli("search-index", "--package", str(package), "--out", str(REPO_ROOT))
    assert code == 1
    assert "拒绝清空" in output


def test_empty_package_gets_no_index_and_the_site_still_builds(tmp_path: Path) -> None:
    empty = tmp_path / "package"
    write_package(generate(projects=0, enterprises=0, cooperations=0, seed=1), empty)
    assert build_bundle(empty, tmp_path / "search") == 0
    build_site(empty, tmp_path / "site", jobs=1, search_bundle=tmp_path / "search")
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


def test_site_in_two_steps_is_the_site_in_one(package: Path, bundle: Path, tmp_path: Path) -> None:
    """make build builds the pages while the package is finished, then adds the downloads,
    the data page and the search bundle: the site is the same, file for file."""
    whole = tmp_path / "whole"
    build_site(package, whole, demo=True, jobs=1, search_bundle=bundle)
    split = tmp_path / "split"
    build_site(package, split, demo=True, jobs=1, defer_downloads=True)
    assert not (split / "pagefind").exists() and not (split / "data").exists()
    assert "<!-- springrain:data -->" in (split / "data.html").read_text(encoding="utf-8")
    finish_site(package, split, search_bundle=bundle)
    assert _files(split) == _files(whole)


def test_finishing_a_site_twice_or_a_whole_one_is_refused(
    package: Path, bundle: Path, tmp_path: Path, run_cli
) -> None:
    site = tmp_path / "site"
    build_site(package, site, demo=True, jobs=1, search_bundle=bundle)
    code, output = run_cli(
        "site", "--finish", "--package", str(package), "--out", str(site),
        "--search-bundle", str(bundle),
    )  # fmt: skip
    assert code == 1
    assert "--defer-downloads" in output
    code, output = run_cli("site", "--finish", "--defer-downloads", "--out", str(site))
    assert code == 2


def test_id_that_would_leave_the_stub_folder_is_refused(package: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "package"
    shutil.copytree(package, hostile)
    projects = json.loads((hostile / "projects.json").read_text(encoding="utf-8"))
    projects[0]["id"] = "../../escaped"
    (hostile / "projects.json").write_text(json.dumps(projects, ensure_ascii=False), "utf-8")
    with pytest.raises(SpringrainError) as error:
        build_bundle(hostile, tmp_path / "search")
    assert "编号无效" in error.value.message_zh
    assert not (tmp_path / "escaped.html").exists()
