"""Printing what validation found when a pipeline command stops at it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click


@contextmanager
def print_report() -> Iterator[None]:
    """Print the validation report of an ``InvalidData`` before the error itself."""
    from springrain.pipeline import InvalidData
    from springrain.validate.report import render

    try:
        yield
    except InvalidData as error:
        click.echo(render(error.report, "text"), err=True)
        raise
