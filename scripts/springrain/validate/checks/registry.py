"""The registry of validation rules and the findings they yield.

A rule has a stable code (``pii.mobile``), a severity, and Chinese and English message
templates with named slots; a finding is one rule applied at one place. Tests assert
``(file, pointer, rule)`` so the wording can be improved freely.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title_zh: str
    template_zh: str
    template_en: str

    def at(self, file: str, pointer: str = "", **slots: object) -> Finding:
        return Finding(
            file=file,
            pointer=pointer,
            rule=self.code,
            severity=self.severity,
            message_zh=self.template_zh.format(**slots),
            message_en=self.template_en.format(**slots),
        )


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    pointer: str
    rule: str
    severity: Severity
    message_zh: str
    message_en: str

    def as_dict(self) -> dict[str, str]:
        return {
            "file": self.file,
            "pointer": self.pointer,
            "rule": self.rule,
            "severity": self.severity,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, title_zh: str, zh: str, en: str) -> Rule:
    """Define a rule once; its code must be new."""
    if code in RULES:
        raise ValueError(f"rule {code} defined twice")
    RULES[code] = Rule(code, severity, title_zh, zh, en)
    return RULES[code]
