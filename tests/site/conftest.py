"""One small demo package (with a hostile project and enterprise added) and its site, built
once per test process for the site tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitepackage import add_hostile, write_package
from springrain.demo import generate
from springrain.site.build import build_site


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("package") / "package"
    write_package(generate(projects=60, enterprises=15, cooperations=10, seed=2), root)
    add_hostile(root)
    return root


@pytest.fixture(scope="session")
def site(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(package, out, demo=True)
    return out
