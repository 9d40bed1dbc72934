"""A stand-in data package written straight from a demo dataset, for tests and benchmarks.

It follows the contract of ``springrain package`` / ``match`` / ``stats`` closely enough for
the site, and is used only where those commands are not available (or to add a hostile
fixture record). The real pipeline is always preferred when it exists.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from springrain.config import DATA_DIR
from springrain.model.schemas import HAND_KEPT_TABLES, vocabulary_labels

ARRAYS = {"project": "projects.json", "enterprise": "enterprises.json"}


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    return {k: (sorted(v) if isinstance(v, set) else v) for k, v in record.items() if k[0] != "_"}


def write_package(dataset: dict[str, list[dict[str, Any]]], out: Path) -> Path:
    """Write projects/enterprises/cooperations JSON, the hand-kept CSVs and small match/stat
    tables into ``out`` (created)."""
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for kind, name in (*ARRAYS.items(), ("cooperation", "cooperations.json")):
        records = sorted((_clean(r) for r in dataset.get(kind, [])), key=lambda r: r["id"])
        dataset[kind] = records
        (out / name).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        files[name] = out / name
    for table in (f"{name}.csv" for name in HAND_KEPT_TABLES):
        if (DATA_DIR / table).is_file():
            shutil.copyfile(DATA_DIR / table, out / table)
            files[table] = out / table
    _write_matches(dataset, out / "matches.csv")
    _write_stats(dataset, out / "stats.json")
    resources = []
    for name, path in sorted(files.items()):
        data = path.read_bytes()
        resources.append(
            {
                "name": name.split(".")[0],
                "path": name,
                "bytes": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            }
        )
    datapackage = {
        "name": "springrain-demo",
        "version": "0.0.0-demo",
        "title": "春雨行动临床创新成果转化项目目录（示例数据）",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "知识共享署名 4.0 国际许可协议",
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "sources": [{"title": "示例数据生成器（虚构）"}],
        "resources": resources,
    }
    (out / "datapackage.json").write_text(json.dumps(datapackage, ensure_ascii=False, indent=1))
    (out / "SHA256SUMS").write_text(
        "".join(f"{r['hash'][7:]}  {r['path']}\n" for r in resources), encoding="utf-8"
    )
    (out / "CHANGELOG.md").write_text("# 更新记录\n\n## 0.0.0-demo\n\n- 示例数据。\n")
    return out


def _write_matches(dataset: dict[str, list[dict[str, Any]]], path: Path) -> None:
    enterprises = dataset.get("enterprise", [])
    rows = []
    for p_index, project in enumerate(dataset.get("project", [])):
        if not enterprises:
            break
        for rank in range(1, 4):
            enterprise = enterprises[(p_index * 7 + rank * 13) % len(enterprises)]
            rows.append(
                {
                    "project": project["id"],
                    "enterprise": enterprise["id"],
                    "project_rank": rank,
                    "enterprise_rank": "",
                    "score": round(0.9 - rank * 0.1, 3),
                    "reason_codes": "category;mode",
                    "reasons": "领域相同；接受所需合作方式",
                    "shared_terms": "示例、技术",
                    "algorithm_version": "dev-0",
                }
            )
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["project"])
        writer.writeheader()
        writer.writerows(rows)


def _write_stats(dataset: dict[str, list[dict[str, Any]]], path: Path) -> None:
    projects = dataset.get("project", [])
    labels = vocabulary_labels("statuses")
    funnel = []
    for code, label in labels.items():
        current = sum(1 for p in projects if p["status"] == code)
        ever = sum(1 for p in projects if any(e["status"] == code for e in p["history"]))
        funnel.append(
            {
                "status": code,
                "label": label,
                "current": current,
                "ever": ever,
                "conversion_to_next": None,
                "median_days": None,
            }
        )
    provinces = vocabulary_labels("provinces")
    by_province: dict[str, list[dict[str, Any]]] = {}
    for project in projects:
        by_province.setdefault(project["province"], []).append(project)
    breakdown = [
        {
            "key": key,
            "label": provinces.get(key, key),
            "total": len(items),
            "current": _count(items, "status"),
            "ever": _count(items, "status"),
        }
        for key, items in sorted(by_province.items())
    ]
    quarters: dict[str, list[dict[str, Any]]] = {}
    for project in projects:
        month = int(project["submitted"][5:7])
        quarters.setdefault(f"{project['submitted'][:4]}Q{(month - 1) // 3 + 1}", []).append(
            project
        )
    stats = {
        "as_of": dt.date(2026, 10, 31).isoformat(),
        "definitions": {"current": {"zh": "当前处于该状态的项目数", "en": "Projects now in it"}},
        "funnel": funnel,
        "breakdowns": {
            "province": breakdown,
            "quarter": [
                {"key": q, "label": q, "total": len(v), "current": {}, "ever": {}}
                for q, v in sorted(quarters.items())
            ],
        },
        "stalled": [
            {
                "project": p["id"],
                "project_name": p["project_name"],
                "province": p["province"],
                "status": p["status"],
                "last_event": p["history"][-1]["date"],
                "days_since": 200,
                "next_review": "2026-12-31",
            }
            for p in projects[:5]
        ],
        "targets": [],
        "reported": [],
    }
    path.write_text(json.dumps(stats, ensure_ascii=False), encoding="utf-8")


def _count(items: list[dict[str, Any]], key: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item[key]] = counts.get(item[key], 0) + 1
    return counts


# Text that would run, inject or render if any output forgot to escape it.
HOSTILE = (
    '<script>alert("xss")</script><img src=x onerror="alert(1)" id="sr-injected">'
    '<a href="javascript:alert(2)" id="sr-injected-link">点我</a> **粗体** [链接](javascript:alert(3))'
    " {{ 7*7 }} {% if true %}模板{% endif %} </script><svg onload=alert(4)></svg>"
    " </textarea>'\"& ]]> <!-- 注释 -->"
)
HOSTILE_PROJECT = "GD-2025-9999"
HOSTILE_ENTERPRISE = "ENT-9999"


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
