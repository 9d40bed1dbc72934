"""Validation rules, one module per family; importing this package registers them all."""

from springrain.validate.checks import (  # noqa: F401  (importing registers the rules)
    files,
    pii,
    record,
    references,
    releases,
    schema,
    tables,
    text,
)
from springrain.validate.checks.registry import RULES, Finding, Rule

__all__ = ["RULES", "Finding", "Rule"]
