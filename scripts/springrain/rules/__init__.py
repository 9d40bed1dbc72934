"""Validation rules, one module per family; importing this package registers them all."""

from . import files, pii, record, references, releases, schema, tables, text  # noqa: F401
from .registry import RULES, Finding, Rule

__all__ = ["RULES", "Finding", "Rule"]
