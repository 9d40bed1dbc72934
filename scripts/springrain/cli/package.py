"""``springrain package``: build the open data package from the records."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.cli.options import data_option
from springrain.config import BUILD_DIR


@click.command(
    "package",
    help="""生成开放数据包：CSV、JSON、Excel、SQLite、datapackage.json 与校验和。

Build the open data package: CSV, JSON, Excel, SQLite, datapackage.json and checksums.
Timestamps come from SOURCE_DATE_EPOCH or the last commit touching the data, so two
builds of the same commit are byte-identical.

\b
例 / Example:
  springrain package
  springrain package --data demo/ --out build/demo-data/
  springrain package --defer-derived && springrain match && springrain stats \\
    && springrain package --finish
  springrain package --records-only && springrain package --rest --defer-derived
""",
)
@data_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=BUILD_DIR / "data",
    show_default="build/data/",
    help="输出目录（会被清空重建）/ output directory (rebuilt from scratch)",
)
@click.option("--version", "version", default=None, help="数据包版本号 / package version")
@click.option(
    "--defer-derived",
    is_flag=True,
    help="先不生成 Excel 和 SQLite，待匹配和统计加入各表后用 --finish 一次生成 / "
    "leave the workbook and database to --finish, after later steps add their tables",
)
@click.option(
    "--records-only",
    is_flag=True,
    help="只写出记录的 JSON 文件与 schema（搜索索引只需要它们），其余随后用 --rest 生成 / "
    "write only the record JSON files and schemas (all the search index needs); the rest "
    "follows with --rest",
)
@click.option(
    "--rest",
    is_flag=True,
    help="在 --records-only 写出的记录之外生成数据包的其余部分 / "
    "add the rest of the package to the records written by --records-only",
)
@click.option(
    "--finish",
    is_flag=True,
    help="为 --out 中已有的数据包生成 Excel、SQLite 和校验和 / "
    "write the workbook, database and checksums of the package in --out",
)
def command(
    data_dir: Path,
    out_dir: Path,
    version: str | None,
    defer_derived: bool,
    records_only: bool,
    rest: bool,
    finish: bool,
) -> int:
    from springrain.package.writer import build, row_counts, write_records
    from springrain.package.writer import finish as finish_package

    if records_only:
        counts = write_records(data_dir, out_dir)
        click.echo(
            f"记录已写出：{out_dir}（项目 {counts['project']} 个，企业 {counts['enterprise']} 家）\n"
            f"Record files written to {out_dir}; run again with --rest for the rest."
        )
        return 0
    if finish:
        descriptor = finish_package(out_dir)
        click.echo(
            f"已生成 Excel、SQLite 与校验和：{out_dir}\n"
            f"Workbook, database and checksums written in {out_dir}."
        )
        return 0
    descriptor = build(
        data_dir, out_dir, version=version, derived=not defer_derived, records_written=rest
    )
    # Only the two tables the message names: counting all of them took a second and a half.
    counts = row_counts(descriptor, out_dir, ("projects", "enterprises"))
    tables = len(descriptor["resources"])
    click.echo(
        f"数据包已生成：{out_dir}（版本 {descriptor['version']}，{tables} 张表，"
        f"项目 {counts.get('projects', 0)} 个，企业 {counts.get('enterprises', 0)} 家）\n"
        f"Package written to {out_dir} (version {descriptor['version']}, {tables} tables)."
    )
    return 0
