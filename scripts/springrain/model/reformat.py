"""Rewriting record files canonically; content is kept exactly, or the file is left alone."""

from __future__ import annotations

from pathlib import Path

from springrain.model.discovery import RecordFile, classify_path
from springrain.model.records import DuplicateKey, canonical_bytes, decode, strict_parse


def reformat(
    paths: list[Path], data_dir: Path, *, check: bool = False
) -> tuple[list[Path], list[tuple[Path, str, str]]]:
    """Returns (files changed or needing change, files that could not be read safely)."""
    changed: list[Path] = []
    failed: list[tuple[Path, str, str]] = []
    for path in paths:
        judged = classify_path(path, data_dir)
        if not isinstance(judged, RecordFile):
            failed.append(
                (
                    path,
                    "不是数据目录中的记录文件（运行 springrain validate 查看原因），未改动。",
                    f"not a record file of a data directory ({judged.problem}); left alone",
                )
            )
            continue
        kind = judged.kind
        data = path.read_bytes()
        body = data.removeprefix(b"\xef\xbb\xbf")
        content, guess = decode(body)
        if content is None:
            failed.append(
                (path, f"不是 UTF-8 编码（{guess or '未知编码'}），请先转换。", "not UTF-8")
            )
            continue
        try:
            record = strict_parse(content)
        except DuplicateKey as error:
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
