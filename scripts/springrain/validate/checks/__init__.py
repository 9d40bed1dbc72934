"""The validation checks, one module per family; importing this package registers them all.

The order of the imports is the order checks of one kind run in (and their findings are
sorted afterwards anyway).
"""

from springrain.validate.checks import (  # noqa: F401  (importing registers the checks)
    dates,
    duplicates,
    fields,
    files,
    history,
    identity,
    pii,
    references,
    releases,
    schema,
    tables,
    text,
)
from springrain.validate.checks.registry import CHECKS, RULES, Check, Finding, Rule, checks

__all__ = ["CHECKS", "RULES", "Check", "Finding", "Rule", "checks"]
