"""The registry of matching criteria: the only list of them the engine reads.

Every module of this package that declares a ``CRITERION`` (see ``base``) is one, found
when the package is imported: adding a criterion is one new module, and its test (and, as
the weights sum to 1, a new share for the others). Criteria are ordered by code: the order
of ``reason_codes`` and ``reasons`` in the ``matches`` table.
"""

from __future__ import annotations

import importlib
import pkgutil

from springrain.derive.matching.criteria.base import AnyCriterion


def _discover() -> tuple[AnyCriterion, ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        criterion = getattr(module, "CRITERION", None)
        if criterion is not None:
            found.append(criterion)
    return tuple(sorted(found, key=lambda criterion: criterion.code))


CRITERIA: tuple[AnyCriterion, ...] = _discover()


def registered() -> tuple[AnyCriterion, ...]:
    """The criteria in use, read at call time (so a test can register one more)."""
    return CRITERIA
