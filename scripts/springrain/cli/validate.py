"""``springrain validate``: check records and tables, report every problem at once."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from springrain.cli.options import data_option, today_option
from springrain.errors import SpringrainError


@click.command(
    "validate",
    help="""校验记录：数据结构、编号、引用、状态历程、个人信息与文字规范，一次列出全部问题。

Validate records against the schemas and rules and list every problem at once.
Exit 0 with no errors (warnings allowed), 1 with errors, 2 on bad usage.

\b
例 / Example:
  springrain validate
  springrain validate data/projects/GD/GD-2025-0001.json --format json
""",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@data_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="输出格式 / output format",
)
@click.option(
    "--demo",
    "allow_demo",
    is_flag=True,
    help="允许示例记录（仅用于演示数据目录）/ accept demo records (demo directories only)",
)
@today_option("以该日期判断“未来日期”/ date used as today")
def command(
    paths: tuple[Path, ...],
    data_dir: Path,
    fmt: str,
    allow_demo: bool,
    today: dt.datetime | None,
) -> int:
    from springrain import pipeline
    from springrain.validate.engine import validate
    from springrain.validate.report import render

    if not data_dir.is_dir():
        raise SpringrainError(
            f"数据目录 {data_dir} 不存在。请用 --data 指定含有 projects/、enterprises/ 的目录。",
            f"Data directory {data_dir} does not exist; pass --data.",
        )
    for path in paths:
        if not os.path.lexists(path):
            raise click.BadParameter(f"{path} 不存在 / does not exist", param_hint="PATHS")
    report = validate(
        data_dir,
        list(paths) or None,
        today=today.date() if today else None,
        allow_demo=pipeline.allow_demo(data_dir, allow_demo),
    )
    click.echo(render(report, fmt))
    return 1 if report.errors else 0
