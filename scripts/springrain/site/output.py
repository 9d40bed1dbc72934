"""Emptying an output directory, refusing any that holds more than our output."""

from __future__ import annotations

import shutil
from pathlib import Path

from springrain.config import REPO_ROOT
from springrain.errors import SpringrainError


def clear_output(out: Path) -> None:
    """Remove ``out`` (a site or search index directory) so it can be written afresh."""
    resolved = out.resolve()
    if resolved in (REPO_ROOT.resolve(), Path("/"), Path.home()) or resolved in REPO_ROOT.parents:
        raise SpringrainError(
            f"拒绝清空输出目录 {out}：请指定单独的输出目录。",
            f"Refusing to empty {out}: choose a dedicated output directory.",
        )
    if out.exists():
        shutil.rmtree(out)
