"""Test fixtures: a real data package built from a demo dataset by the pipeline, and a
hostile project and enterprise added to a built package, as an attacker who got past
validation would (the site must still escape every byte of them)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from springrain import pipeline
from springrain.demo import write
from springrain.package.reader import written_from_valid
from springrain.package.writer import write_checksums


def write_package(dataset: dict[str, list[dict[str, Any]]], out: Path) -> Path:
    """The package the pipeline builds from ``dataset`` (demo records), in ``out``."""
    data = out.parent / f"{out.name}-records"
    write(dataset, data)
    pipeline.package(data, out, demo=True)
    return out


# Text that would run, inject or render if any output forgot to escape it.
HOSTILE = (
    '<script>alert("xss")</script><img src=x onerror="alert(1)" id="sr-injected">'
    '<a href="javascript:alert(2)" id="sr-injected-link">点我</a> **粗体** [链接](javascript:alert(3))'
    " {{ 7*7 }} {% if true %}模板{% endif %} </script><svg onload=alert(4)></svg>"
    " </textarea>'\"& ]]> <!-- 注释 -->"
)
HOSTILE_PROJECT = "GD-2025-9999"
HOSTILE_ENTERPRISE = "ENT-9999"
# A city the catalogue's filter must take as one value, though it holds a comma, and whose
# unbroken run must wrap on a phone.
HOSTILE_CITY = "恶意市,天河区" + "L" * 120


def reseal(package: Path) -> None:
    """SHA256SUMS written again over a package edited after it was built, as an attacker
    would forge it (the package reader refuses a package that fails its own checksums)."""
    write_checksums(package, {})


def past_validation(package: Path) -> None:
    """A package edited after it was built taken as one written from validated records, as
    if the edit had slipped past every rule: what the site and the publish gate must then
    still stop (the reader validates the records of any package it was not told of)."""
    reseal(package)
    written_from_valid(package)


def add_hostile(package: Path) -> None:
    """Add one project and one enterprise full of hostile text (and a match between them) to
    a built package, as an attacker who got past validation would."""
    projects = json.loads((package / "projects.json").read_text(encoding="utf-8"))
    enterprises = json.loads((package / "enterprises.json").read_text(encoding="utf-8"))
    project = {**projects[0]} if projects else {}
    project.update(
        id=HOSTILE_PROJECT,
        province="GD",
        project_name="恶意" + HOSTILE,
        institution="恶意医院" + HOSTILE,
        city=HOSTILE_CITY,
        working_principle=HOSTILE,
        intended_use=HOSTILE,
        project_lead=HOSTILE,
        contact_route=HOSTILE,
        status="对接中",
        submitted="2026-10-30",
        history=[
            {"date": "2026-10-30", "status": "已提交", "note": HOSTILE, "source": HOSTILE},
            {"date": "2026-10-31", "status": "对接中", "note": HOSTILE, "source": HOSTILE},
        ],
        intellectual_property=[
            {"kind": "发明专利", "title": HOSTILE, "status": "申请中", "owners": [HOSTILE]}
        ],
    )
    enterprise = {**enterprises[0]} if enterprises else {}
    enterprise.update(
        id=HOSTILE_ENTERPRISE,
        name="恶意企业" + HOSTILE,
        profile=HOSTILE,
        address=HOSTILE,
        province="GD",
    )
    projects = sorted([*projects, project], key=lambda r: r["id"])
    enterprises = sorted([*enterprises, enterprise], key=lambda r: r["id"])
    (package / "projects.json").write_text(json.dumps(projects, ensure_ascii=False))
    (package / "enterprises.json").write_text(json.dumps(enterprises, ensure_ascii=False))
    matches = package / "matches.csv"
    if matches.is_file():
        with open(matches, "a", encoding="utf-8", newline="") as handle:
            header = matches.read_text(encoding="utf-8").splitlines()[0].split(",")
            row = {
                "project": HOSTILE_PROJECT,
                "enterprise": HOSTILE_ENTERPRISE,
                "project_rank": "1",
                "enterprise_rank": "1",
                "score": "0.99",
                "reason_codes": HOSTILE,
                "reasons": HOSTILE,
                "shared_terms": HOSTILE,
                "algorithm_version": HOSTILE,
            }
            csv.DictWriter(handle, fieldnames=header, extrasaction="ignore").writerow(row)
    past_validation(package)
