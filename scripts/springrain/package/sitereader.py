"""Reading the built data package: the site's only input.

The three record arrays are required; everything else (matches, statistics, releases,
changelog, checksums) is optional and simply absent from the result when missing, so the
pages can say 暂无数据 honestly instead of failing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from springrain.errors import SpringrainError

RECORD_FILES = {
    "projects": "projects.json",
    "enterprises": "enterprises.json",
    "cooperations": "cooperations.json",
}


@dataclass
class Package:
    root: Path
    projects: list[dict[str, Any]]
    enterprises: list[dict[str, Any]]
    cooperations: list[dict[str, Any]]
    datapackage: dict[str, Any] = field(default_factory=dict)
    matches: list[dict[str, str]] | None = None
    stats: dict[str, Any] | None = None
    releases: list[dict[str, Any]] | None = None
    changelog: str | None = None
    checksums: dict[str, str] = field(default_factory=dict)
    programmes: list[dict[str, str]] = field(default_factory=list)

    def files(self) -> list[Path]:
        """The downloadable files of the package (everything but hidden files), sorted."""
        return sorted(p for p in self.root.rglob("*") if p.is_file() and not p.name.startswith("."))


def _json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        raise SpringrainError(
            f"无法读取数据包文件 {path}：{error}。请重新运行 springrain package。",
            f"Cannot read package file {path}: {error}. Run springrain package again.",
        ) from error


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def load_records(root: Path, keys: tuple[str, ...] = tuple(RECORD_FILES)) -> Package:
    """A package with only the record arrays named in ``keys`` read (the others empty)."""
    if not root.is_dir():
        raise SpringrainError(
            f"找不到数据包目录 {root}。请先运行 springrain package（或 make build）。",
            f"No data package at {root}. Run springrain package (or make build) first.",
        )
    arrays: dict[str, list[dict[str, Any]]] = {key: [] for key in RECORD_FILES}
    for key in keys:
        name = RECORD_FILES[key]
        path = root / name
        if not path.is_file():
            raise SpringrainError(
                f"数据包 {root} 缺少 {name}。请先运行 springrain package。",
                f"The package {root} has no {name}. Run springrain package first.",
            )
        value = _json(path)
        if not isinstance(value, list):
            raise SpringrainError(f"{path} 应为 JSON 数组。", f"{path} should hold a JSON array.")
        arrays[key] = value
    return Package(root=root, **arrays)


def load(root: Path, *, pages: bool = True, downloads: bool = True) -> Package:
    """The package as the site reads it: what the pages show (``pages``: matches,
    statistics, programmes) and what the data page lists (``downloads``: the descriptor and
    checksums, which ``package --finish`` may be writing while the pages are built)."""
    package = load_records(root)
    if downloads and (root / "datapackage.json").is_file():
        package.datapackage = _json(root / "datapackage.json")
    if pages and (root / "matches.csv").is_file():
        package.matches = _csv(root / "matches.csv")
    if pages and (root / "stats.json").is_file():
        package.stats = _json(root / "stats.json")
    if (root / "releases.json").is_file():
        package.releases = _json(root / "releases.json")
    if (root / "CHANGELOG.md").is_file():
        package.changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    if pages and (root / "programmes.csv").is_file():
        package.programmes = _csv(root / "programmes.csv")
    if downloads and (root / "SHA256SUMS").is_file():
        for line in (root / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            if name:
                package.checksums[name.lstrip("*")] = digest
    return package
