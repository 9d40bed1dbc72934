"""Every checked-in file that restates the schemas or the code, and how to regenerate it.

The JSON Schemas, the rule registry and the command's help texts are written by hand; the
files below are written from them by ``springrain generate`` and never edited. A test runs
``stale()`` and fails when a committed copy differs from what its source gives, so a schema
edit and its regenerated files land in the same commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from springrain.config import REPO_ROOT


@dataclass(frozen=True)
class Generated:
    """One folder of generated files: ``files()`` gives every file it should hold."""

    directory: Path
    pattern: str  # the files it owns there: others matching it are stale and removed
    source: str  # in words, for ``springrain generate``'s output
    files: Callable[[], dict[str, bytes]]


def _table_schemas() -> dict[str, bytes]:
    import orjson

    from springrain.derive.recordtables import iter_table_schemas

    return {
        f"{table.name}.table.json": orjson.dumps(schema, option=orjson.OPT_INDENT_2) + b"\n"
        for table, schema in iter_table_schemas()
    }


def _issue_forms() -> dict[str, bytes]:
    from springrain.intake import forms

    return {name: text.encode("utf-8") for name, text in forms.outputs().items()}


def _web_form() -> dict[str, bytes]:
    from springrain.intake import webform

    return webform.outputs()


def _citation() -> dict[str, bytes]:
    """CITATION.cff, written by hand but for its ``repository-code``, which is the configured
    repository (``springrain.config``): the one place the address is set."""
    import json
    import re

    from springrain.config import settings

    path = REPO_ROOT / "CITATION.cff"
    text = path.read_text(encoding="utf-8")
    line = f"repository-code: {json.dumps(settings().repository)}"
    return {path.name: re.sub(r"(?m)^repository-code:.*$", line, text).encode("utf-8")}


def _reference_pages() -> dict[str, bytes]:
    from springrain.cli.reference import PAGES

    return {path.name: (build() + "\n").encode("utf-8") for path, build in PAGES.items()}


GENERATED: tuple[Generated, ...] = (
    Generated(
        REPO_ROOT / "schemas" / "tables" / "generated",
        "*.table.json",
        "记录表的表结构 / Table Schemas of the record tables (schemas/*.schema.json)",
        _table_schemas,
    ),
    Generated(
        REPO_ROOT / ".github" / "ISSUE_TEMPLATE",
        "*.yml",
        "GitHub 议题表单 / issue forms (schemas/*.schema.json)",
        _issue_forms,
    ),
    Generated(
        REPO_ROOT / "docs" / "reference",
        "*.md",
        "错误代码表和命令行参考 / error codes and CLI reference (rules, command help)",
        _reference_pages,
    ),
    Generated(
        REPO_ROOT / "scripts" / "springrain" / "site" / "static" / "webform",
        "*",
        "网页表单的定义和附件模板 / web form spec and annex templates (schemas, rules, annexes)",
        _web_form,
    ),
    Generated(
        REPO_ROOT,
        "CITATION.cff",
        "引用说明中的仓库地址 / the repository address in CITATION.cff ([tool.springrain])",
        _citation,
    ),
)


def _differences(generated: Generated) -> tuple[dict[Path, bytes], list[Path]]:
    """(files to write, files to remove) to bring ``generated.directory`` up to date."""
    wanted = {generated.directory / name: content for name, content in generated.files().items()}
    to_write = {
        path: content
        for path, content in wanted.items()
        if not path.is_file() or path.read_bytes() != content
    }
    to_remove = sorted(
        path for path in generated.directory.glob(generated.pattern) if path not in wanted
    )
    return to_write, to_remove


def stale() -> list[Path]:
    """Every generated file that is missing, differs from its source, or is left over."""
    found: list[Path] = []
    for generated in GENERATED:
        to_write, to_remove = _differences(generated)
        found += sorted(to_write) + to_remove
    return found


def regenerate() -> list[Path]:
    """Write every generated file from its source; returns the files changed or removed."""
    changed: list[Path] = []
    for generated in GENERATED:
        to_write, to_remove = _differences(generated)
        generated.directory.mkdir(parents=True, exist_ok=True)
        for path, content in sorted(to_write.items()):
            path.write_bytes(content)
        for path in to_remove:
            path.unlink()
        changed += sorted(to_write) + to_remove
    return changed
