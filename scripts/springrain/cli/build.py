"""``springrain build``: the whole pipeline, from the records to the site."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.cli.options import data_option, demo_option, package_option, site_option
from springrain.cli.report import print_report


@click.command(
    "build",
    help="""运行整个流程：校验记录 → 记录表 → 匹配与统计 → 数据包（一次写成）→ 网站。

Run the whole pipeline in one process: validate the records, build the record tables,
matching and statistics, write the data package once, then the site from the package.
Stops at validation when a record has an error (exit 1); bad usage exits 2.

\b
例 / Example:
  springrain build
  springrain build --data build/demo-data --package build/demo-package --site site --demo
""",
)
@data_option
@package_option
@site_option
@demo_option
def command(data_dir: Path, package_dir: Path, site_dir: Path, demo: bool) -> int:
    from springrain import pipeline, safety

    package_dir = safety.output_dir(package_dir, [data_dir])
    site_dir = safety.output_dir(site_dir, [data_dir, package_dir])
    with print_report():
        built = pipeline.build(data_dir, package_dir, site_dir, demo=demo)
    counts = built.counts
    click.echo(
        f"完成：{counts['project']} 个项目、{counts['enterprise']} 家企业、{counts['cooperation']} 条合作；"
        f"数据包 {package_dir}，网站 {site_dir}（{built.pages} 个记录页面）。\n"
        f"Built: package in {package_dir}, site in {site_dir} ({built.pages} record pages).\n"
        f"用时 / timings: {built.timings.line()}"
    )
    return 0
