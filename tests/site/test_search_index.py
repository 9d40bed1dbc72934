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
from springrain.site.build import build_site


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("package") / "package"
    write_package(generate(projects=30, enterprises=8, cooperations=5, seed=4), root)
    add_hostile(root)
    return root


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_the_site_indexes_every_record(package: Path, tmp_path: Path) -> None:
    build_site(package, tmp_path / "site", demo=True)
    assert len(list((tmp_path / "site" / "pagefind" / "fragment").iterdir())) == 30 + 8 + 2


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


def test_id_that_would_leave_the_stub_folder_is_refused(package: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "package"
    shutil.copytree(package, hostile)
    projects = json.loads((hostile / "projects.json").read_text(encoding="utf-8"))
    projects[0]["id"] = "../../escaped"
    (hostile / "projects.json").write_text(json.dumps(projects, ensure_ascii=False), "utf-8")
    with pytest.raises(SpringrainError) as error:
        build_site(hostile, tmp_path / "site")
    assert "编号无效" in error.value.message_zh
    assert not (tmp_path / "escaped.html").exists()
