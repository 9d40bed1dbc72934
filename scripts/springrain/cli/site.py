"""``springrain site``: build the public website from a built data package."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.cli.options import demo_option, package_option
from springrain.config import SITE_OUT


@click.command(
    "site",
    help="""由数据包生成公开网站（项目目录、项目与企业页面、统计、数据下载、全文搜索）。只读取数据包。

Build the public website from a data package: catalogue, project and enterprise pages,
statistics, downloads and the Chinese full-text search index. Reads only the package.

\b
例 / Example:
  springrain site
  springrain site --package build/demo-package --out site --demo
""",
)
@package_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=SITE_OUT,
    show_default="site/",
    help="网站输出目录（会被清空）/ output directory (emptied first)",
)
@demo_option
def command(package_dir: Path, out: Path, demo: bool) -> int:
    from springrain import pipeline, safety
    from springrain.config import DATA_DIR

    out = safety.output_dir(out, [DATA_DIR, package_dir])
    pages = pipeline.site(package_dir, out, demo=demo)
    click.echo(
        f"网站已生成：{out}（{pages} 个项目与企业页面）\nSite built in {out} ({pages} record pages)."
    )
    return 0
