"""The publish gate reads every built file with the contact-data detector: a build from
records that hold only look-alikes passes; contact data that reached an output is caught
in every kind of file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contact_corpus import ALLOWED, refused
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
    with pytest.raises(SpringrainError) as error:
        pipeline.site(leaky, tmp_path / "site", demo=True)
    assert "139****78" in error.value.message_zh
    leaks = gate.scan(tmp_path / "site")
    kinds = {Path(leak.path).suffix for leak in leaks}
    assert {".html", ".pf_fragment"} <= kinds  # the page and the search index
