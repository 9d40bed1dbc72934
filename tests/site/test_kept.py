"""The site's folders of one file per record are written over in place from one build to the
next (springrain.site.kept): same inodes for the pages that stay, nothing left of a record
gone, no link planted there written through, nothing left of a build that stopped half-way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitepackage import write_package
from springrain.demo import generate
from springrain.site import kept
from springrain.site.build import build_site
from springrain.site.search_index import BUNDLE


def _dataset(projects: int = 12) -> dict:
    return generate(projects=projects, enterprises=4, cooperations=2, seed=5)


def _unlinked_project(dataset: dict) -> str:
    """A project no cooperation names: it can leave the dataset alone."""
    named = {cooperation["project"] for cooperation in dataset["cooperation"]}
    return next(p["id"] for p in dataset["project"] if p["id"] not in named)


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}


def test_a_rebuild_writes_over_the_pages_and_deletes_what_a_removed_record_had(
    tmp_path: Path,
) -> None:
    dataset = _dataset()
    gone = _unlinked_project(dataset)
    stays = next(p["id"] for p in dataset["project"] if p["id"] != gone)
    out = tmp_path / "site"
    build_site(write_package(dataset, tmp_path / "before"), out, demo=True)
    inode = (out / "projects" / f"{stays}.html").stat().st_ino
    assert (out / "projects" / f"{gone}.html").is_file()
    fragments = _files(out / BUNDLE)

    dataset["project"] = [p for p in dataset["project"] if p["id"] != gone]
    build_site(write_package(dataset, tmp_path / "after"), out, demo=True)

    assert not (out / "projects" / f"{gone}.html").exists()
    assert (out / "projects" / f"{stays}.html").stat().st_ino == inode  # written over
    # The search bundle is the fresh one alone: a build from nothing gives the same files.
    fresh = tmp_path / "fresh"
    build_site(tmp_path / "after", fresh, demo=True)
    assert _files(out / BUNDLE) == _files(fresh / BUNDLE) != fragments
    assert _files(out) == _files(fresh)
    assert not any(name.startswith(".") for name in os.listdir(out))


def test_a_link_planted_in_a_kept_folder_is_never_written_through(tmp_path: Path) -> None:
    dataset = _dataset()
    package = write_package(dataset, tmp_path / "package")
    out = tmp_path / "site"
    build_site(package, out, demo=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched", encoding="utf-8")
    page = out / "projects" / f"{dataset['project'][0]['id']}.html"
    page.unlink()
    page.symlink_to(victim)
    fragment = next((out / BUNDLE).rglob("*.pf_fragment"))
    fragment.unlink()
    fragment.symlink_to(victim)
    (out / "enterprises" / "ENT-0000.html").symlink_to(victim)

    build_site(package, out, demo=True)

    assert victim.read_text(encoding="utf-8") == "untouched"
    assert page.is_file() and not page.is_symlink()
    assert fragment.is_file() and not fragment.is_symlink()
    assert not os.path.lexists(out / "enterprises" / "ENT-0000.html")


def test_what_a_build_stopped_half_way_left_is_cleared(tmp_path: Path) -> None:
    dataset = _dataset()
    package = write_package(dataset, tmp_path / "package")
    out = tmp_path / "site"
    build_site(package, out, demo=True)
    # As if a build had stopped between clearing the folder and restoring what it kept.
    kept.clear(out, ("projects", BUNDLE))
    (out / kept.HOLDING / "projects" / "GD-2020-0001.html").write_text("stale", "utf-8")
    (out / kept.HOLDING / "stray.html").write_text("stale", "utf-8")
    (out / "stray-too.html").write_text("stale", "utf-8")

    build_site(package, out, demo=True)

    fresh = tmp_path / "fresh"
    build_site(package, fresh, demo=True)
    assert _files(out) == _files(fresh)


def test_a_site_with_nothing_to_search_keeps_no_old_search_index(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(write_package(_dataset(), tmp_path / "full"), out)
    assert (out / BUNDLE).is_dir()
    empty = write_package({"project": [], "enterprise": [], "cooperation": []}, tmp_path / "e")
    build_site(empty, out)
    assert not (out / BUNDLE).exists()
    assert not any((out / "projects").iterdir())


def test_prune_keeps_only_what_will_be_written_over_and_of_its_type(tmp_path: Path) -> None:
    folder = tmp_path / "kept"
    folder.mkdir()
    (folder / "page.html").write_text("old", "utf-8")
    (folder / "gone.html").write_text("old", "utf-8")
    (folder / "part").mkdir()
    (folder / "was-a-file").mkdir()
    (folder / "was-a-folder").write_text("old", "utf-8")
    os.mkfifo(folder / "pipe.html")
    outside = tmp_path / "outside"
    outside.mkdir()
    (folder / "linked").symlink_to(outside, target_is_directory=True)

    kept.prune(
        folder,
        {
            "page.html": False,
            "part": True,
            "was-a-file": False,
            "was-a-folder": True,
            "pipe.html": False,
            "linked": True,
        },
    )

    assert sorted(os.listdir(folder)) == ["page.html", "part"]
    assert outside.is_dir()


@pytest.mark.parametrize("planted", ["file", "link"])
def test_clear_replaces_a_holding_folder_that_is_not_one(tmp_path: Path, planted: str) -> None:
    out = tmp_path / "site"
    (out / "projects").mkdir(parents=True)
    (out / "projects" / "a.html").write_text("page", "utf-8")
    (out / "other.html").write_text("page", "utf-8")
    target = tmp_path / "elsewhere"
    target.mkdir()
    if planted == "file":
        (out / kept.HOLDING).write_text("x", "utf-8")
    else:
        (out / kept.HOLDING).symlink_to(target, target_is_directory=True)

    kept.clear(out, ("projects",))

    assert os.listdir(out) == [kept.HOLDING] and not (out / kept.HOLDING).is_symlink()
    assert os.listdir(target) == []
    kept.restore(out)
    assert os.listdir(out) == ["projects"]
    assert (out / "projects" / "a.html").read_text("utf-8") == "page"
