"""Shared fixtures: small demo datasets made once per session, and a CLI runner."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest

from springrain.cli import main
from springrain.demo import generate, write

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small valid demo dataset; copy it (``demo_copy``) before changing anything."""
    out = tmp_path_factory.mktemp("demo") / "data"
    write(generate(projects=120, enterprises=30, cooperations=25, seed=3), out)
    return out


@pytest.fixture
def demo_copy(demo_source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(demo_source, target)
    return target


def run_springrain(*args: str) -> tuple[int, str]:
    """Run ``springrain ARGS`` in-process through its real entry point.

    Returns the exit code and everything printed (stdout, then stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue() + err.getvalue()


@pytest.fixture
def run_cli():
    return run_springrain
