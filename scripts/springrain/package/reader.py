"""Reading the built data package for the matching and statistics steps, and adding tables.

Both steps read only the package (``build/data`` by default), never ``data/``: the records
from ``projects.json``, ``enterprises.json`` and ``cooperations.json``, the hand-kept tables
from their CSV files. Tables go back in through ``springrain.package.add_resources``, which
regenerates the descriptor, workbook, database and checksums.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from springrain.errors import SpringrainError
from springrain.package.writer import ResourceSpec, add_resources

RECORD_FILES = {"projects": "projects.json", "enterprises": "enterprises.json"}
OPTIONAL_RECORD_FILES = {"cooperations": "cooperations.json"}


@dataclass
class PackageInput:
    projects: list[dict[str, Any]]
    enterprises: list[dict[str, Any]]
    cooperations: list[dict[str, Any]]
    programmes: list[dict[str, str]]
    targets: list[dict[str, str]]
    reported: list[dict[str, str]]


def _missing(path: Path) -> SpringrainError:
    return SpringrainError(
        f"数据包中缺少 {path}。请先运行 springrain package 生成数据包，或用 --package 指定数据包目录。",
        f"{path} is missing from the data package. Run `springrain package` first, "
        "or point --package at a package directory.",
    )


def _records(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise _missing(path)
    try:
        records = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as error:
        raise SpringrainError(
            f"{path} 不是有效的 JSON（{error}）。请重新运行 springrain package。",
            f"{path} is not valid JSON ({error}). Rebuild the package.",
        ) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise SpringrainError(
            f"{path} 应当是记录组成的 JSON 数组。请重新运行 springrain package。",
            f"{path} should be a JSON array of records. Rebuild the package.",
        )
    return sorted(records, key=lambda record: str(record.get("id", "")))


def read_table(path: Path) -> list[dict[str, str]]:
    """A CSV table as dicts of strings, in file order."""
    if not path.is_file():
        raise _missing(path)
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(package_dir: Path) -> PackageInput:
    if not package_dir.is_dir():
        raise _missing(package_dir)
    cooperations_file = package_dir / OPTIONAL_RECORD_FILES["cooperations"]
    return PackageInput(
        projects=_records(package_dir / RECORD_FILES["projects"]),
        enterprises=_records(package_dir / RECORD_FILES["enterprises"]),
        cooperations=_records(cooperations_file) if cooperations_file.exists() else [],
        programmes=read_table(package_dir / "programmes.csv"),
        targets=read_table(package_dir / "targets.csv"),
        reported=read_table(package_dir / "reported_figures.csv"),
    )


def add_tables(package_dir: Path, specs: Sequence[ResourceSpec]) -> None:
    """Register tables in the package (rewrites workbook, database and checksums once)."""
    if not (package_dir / "datapackage.json").is_file():
        raise _missing(package_dir / "datapackage.json")
    add_resources(package_dir, specs)
