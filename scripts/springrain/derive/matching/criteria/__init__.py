"""The registry of matching criteria: the only list of them the engine reads.

Adding a criterion is one new module declaring a ``CRITERION`` (see ``base``), one line in
``CRITERIA``, and its test. The order here is the order of ``reason_codes`` and ``reasons``
in the ``matches`` table; the weights sum to 1.
"""

from __future__ import annotations

from springrain.derive.matching.criteria import category, device_class, mode, region, stage, text
from springrain.derive.matching.criteria.base import AnyCriterion

CRITERIA: tuple[AnyCriterion, ...] = (
    category.CRITERION,
    device_class.CRITERION,
    mode.CRITERION,
    region.CRITERION,
    stage.CRITERION,
    text.CRITERION,
)


def registered() -> tuple[AnyCriterion, ...]:
    """The criteria in use, read at call time (so a test can register one more)."""
    return CRITERIA
