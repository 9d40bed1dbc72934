"""Rewriting record files canonically; content is kept exactly, or the file is left alone."""

from __future__ import annotations

from pathlib import Path

from springrain.model.records import canonical_bytes, kind_of
from springrain.validate.checks import files as file_rules


def reformat(
    paths: list[Path], data_dir: Path, *, check: bool = False
) -> tuple[list[Path], list[tuple[Path, str, str]]]:
    """Returns (files changed or needing change, files that could not be read safely)."""
    changed: list[Path] = []
    failed: list[tuple[Path, str, str]] = []
    for path in paths:
        kind = kind_of(path, data_dir)
        if kind is None:
            failed.append(
                (
                    path,
                    "不在 data/projects、data/enterprises 或 data/cooperations 下。",
                    "not a record folder",
                )
            )
            continue
        data = path.read_bytes()
        body = data.removeprefix(b"\xef\xbb\xbf")
        content, guess = file_rules.decode(body)
        if content is None:
            failed.append(
                (path, f"不是 UTF-8 编码（{guess or '未知编码'}），请先转换。", "not UTF-8")
            )
            continue
        try:
            record = file_rules.strict_parse(content)
        except file_rules.DuplicateKey as error:
            failed.append(
                (
                    path,
                    f"字段「{error.name}」重复，请先手工删去一个。",
                    f"duplicate key {error.name}",
                )
            )
            continue
        except (ValueError, RecursionError) as error:
            failed.append(
                (path, "JSON 格式错误，请先运行 springrain validate 查看位置。", str(error)[:200])
            )
            continue
        try:
            canonical = canonical_bytes(kind, record)
        except TypeError as error:
            failed.append((path, "含有无法保存为 JSON 的数值。", str(error)[:200]))
            continue
        if canonical != data:
            changed.append(path)
            if not check:
                path.write_bytes(canonical)
    return changed, failed
