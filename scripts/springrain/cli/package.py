"""``springrain package``: validate, then write the open data package once."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.cli.options import data_option, demo_option
from springrain.cli.report import print_report
from springrain.config import PACKAGE_OUT


@click.command(
    "package",
    help="""生成开放数据包：先校验，再做匹配与统计，一次写出 CSV、JSON、Excel、SQLite、datapackage.json 与校验和。

Validate the records, then write the open data package once: CSV, JSON, Excel, SQLite,
datapackage.json and checksums, matching and statistics included. Timestamps come from
SOURCE_DATE_EPOCH or the last commit touching the data, so two builds of the same commit
are byte-identical. Nothing is written when validation finds an error.

\b
例 / Example:
  springrain package
  springrain package --data build/demo-data --out build/demo-package --demo
""",
)
@data_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=PACKAGE_OUT,
    show_default="build/data/",
    help="输出目录（会被清空重建）/ output directory (rebuilt from scratch)",
)
@click.option("--version", "version", default=None, help="数据包版本号 / package version")
@demo_option
def command(data_dir: Path, out_dir: Path, version: str | None, demo: bool) -> int:
    from springrain import pipeline, safety
    from springrain.package.writer import row_counts

    out_dir = safety.output_dir(out_dir, [data_dir])
    with print_report():
        built = pipeline.package(data_dir, out_dir, demo=demo, version=version)
    descriptor = built.descriptor
    counts = row_counts(descriptor, out_dir, ("projects", "enterprises"))
    click.echo(
        f"数据包已生成：{out_dir}（版本 {descriptor['version']}，{len(descriptor['resources'])} 张表，"
        f"项目 {counts.get('projects', 0)} 个，企业 {counts.get('enterprises', 0)} 家）\n"
        f"Package written to {out_dir} (version {descriptor['version']}, "
        f"{len(descriptor['resources'])} tables)."
    )
    return 0
