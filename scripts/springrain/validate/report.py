"""Writing a validation report as text, JSON or GitHub annotations."""

from __future__ import annotations

import json
import unicodedata
from itertools import groupby
from pathlib import Path

from springrain.model.schemas import is_index
from springrain.validate.checks.registry import Finding
from springrain.validate.engine import Report

MARK = {"error": "✗ 错误", "warning": "⚠ 警告"}


def visible(text: str) -> str:
    """``text`` with what a terminal would not show as written spelled out (a line break or
    a direction override in a file name, an invisible character quoted from a record): one
    finding, one line, read as it is. A backslash is doubled, so that a name holding the two
    characters \\n is never shown as one holding a line break."""
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(
        "\\\\"
        if char == "\\"
        else char
        if char.isprintable() or unicodedata.category(char) == "Zs"
        else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


def as_text(report: Report) -> str:
    lines: list[str] = []
    for file, group in groupby(report.findings, key=lambda f: f.file):
        lines.append(visible(file))
        for finding in group:
            where = f" {visible(finding.pointer)}" if finding.pointer else ""
            lines.append(f"  {MARK[finding.severity]} [{finding.rule}]{where}")
            lines.append(f"      {visible(finding.message_zh)}")
            lines.append(f"      {visible(finding.message_en)}")
        lines.append("")
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        lines.append(
            f"共检查 {report.files} 个文件：{errors} 个错误，{warnings} 个警告。请按上面的提示逐项修改。"
        )
    else:
        lines.append(f"共检查 {report.files} 个文件：没有错误，{warnings} 个警告。")
    lines.append(f"Checked {report.files} files: {errors} errors, {warnings} warnings.")
    return "\n".join(lines)


def as_json(report: Report) -> str:
    return json.dumps([f.as_dict() for f in report.findings], ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def line_of(text: str, pointer: str) -> int:
    """Line of the value at ``pointer`` in a canonical (2-space indented) file, else 1."""
    lines = text.split("\n")
    position, depth = 0, 0
    for part in [p for p in pointer.split("/") if p]:
        indent = " " * (2 * (depth + 1))
        if is_index(part):
            wanted, seen = int(part), -1
            for number in range(position + 1, len(lines)):
                line = lines[number]
                stripped = line.lstrip(" ")
                width = len(line) - len(stripped)
                if width < len(indent):
                    return position + 1
                if width > len(indent) or stripped[:1] in ("}", "]"):
                    continue
                seen += 1
                if seen == wanted:
                    position = number
                    break
            else:
                return position + 1
        else:
            key = part.replace("~1", "/").replace("~0", "~")
            prefix = f"{indent}{json.dumps(key, ensure_ascii=False)}:"
            for number in range(position + 1, len(lines)):
                if lines[number].startswith(prefix):
                    position = number
                    break
            else:
                return position + 1
        depth += 1
    return position + 1


def as_github(report: Report) -> str:
    out = []
    texts: dict[str, str] = {}
    for finding in report.findings:
        if finding.file not in texts:
            try:
                texts[finding.file] = Path(finding.file).read_text("utf-8")
            except (OSError, UnicodeDecodeError):
                texts[finding.file] = ""
        line = line_of(texts[finding.file], finding.pointer) if finding.pointer else 1
        level = "error" if finding.severity == "error" else "warning"
        message = _escape_data(f"{finding.message_zh}\n{finding.message_en}")
        out.append(
            f"::{level} file={_escape_property(finding.file)},line={line},"
            f"title={_escape_property(finding.rule)}::{message}"
        )
    out.append(as_text(Report(findings=[], files=report.files)) if not report.findings else "")
    return "\n".join(line for line in out if line)


def render(report: Report, fmt: str) -> str:
    return {"text": as_text, "json": as_json, "github": as_github}[fmt](report)


def findings_by_file(findings: list[Finding]) -> dict[str, list[Finding]]:
    return {file: list(group) for file, group in groupby(sorted(findings), key=lambda f: f.file)}
