"""Options several commands share, written once."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.config import BUILD_DIR, DATA_DIR

data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DATA_DIR,
    show_default="data/",
    help="数据目录 / data directory",
)

package_option = click.option(
    "--package",
    "package_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=BUILD_DIR / "data",
    show_default="build/data/",
    help="已生成的数据包目录 / the built data package",
)


def today_option(help_text: str):
    """``--today YYYY-MM-DD``: the date a command takes as today (tests and back-dating)."""
    return click.option(
        "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help=help_text
    )
