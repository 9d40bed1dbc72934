"""The validation checks, one module per family. Importing this package imports every module
in it, and each module registers its checks (``registry.register``): adding a rule is one
new module here, and its test."""

import importlib
import pkgutil

from springrain.validate.checks.registry import CHECKS, RULES, Check, Finding, Rule, checks

for _module in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["CHECKS", "RULES", "Check", "Finding", "Rule", "checks"]
