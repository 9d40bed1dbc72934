"""Options several commands share, written once."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.config import DATA_DIR, PACKAGE_OUT, SITE_OUT

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
    default=PACKAGE_OUT,
    show_default="build/data/",
    help="数据包目录 / the data package directory",
)

site_option = click.option(
    "--site",
    "site_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=SITE_OUT,
    show_default="site/",
    help="网站输出目录（会被清空）/ site output directory (emptied first)",
)

demo_option = click.option(
    "--demo",
    is_flag=True,
    help="示例数据：接受演示记录，每页显示“示例数据，均为虚构”/ demo data: accept demo records, "
    "banner on every page",
)


def today_option(help_text: str):
    """``--today YYYY-MM-DD``: the date a command takes as today (tests and back-dating)."""
    return click.option(
        "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help=help_text
    )
