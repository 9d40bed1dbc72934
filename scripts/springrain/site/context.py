"""What every page of the site is made from: the package, read once, and where it goes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from springrain.config import Settings
from springrain.package.reader import Package


@dataclass(frozen=True)
class GeneratedPage:
    """A page made from the package outside the navigation (matching lists, stalled lists),
    rendered into the record pages' skeleton: one folder deep, at ``path``."""

    path: str  # e.g. matching/GD-06.html
    title: str  # plain text: escaped when written
    description: str  # plain text: escaped when written
    template: str
    data: dict[str, Any]


@dataclass
class Site:
    package: Package
    out: Path
    settings: Settings
    demo: bool = False
    searchable: bool = False
    feeds: list[dict[str, str]] = field(default_factory=list)  # per-province and per-category
    downloads: list[dict[str, Any]] = field(default_factory=list)  # the files data/ offers

    @property
    def site_url(self) -> str:
        return self.settings.site_url

    @property
    def programmes(self) -> dict[str, str]:
        return {row["id"]: row.get("name_zh", row["id"]) for row in self.package.programmes}
