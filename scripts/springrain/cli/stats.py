"""``springrain stats``: the progress statistics of a built package, as JSON."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.cli.options import checked_output, emit, package_option, stdout_or_file


@click.command(
    "stats",
    help="""统计进展：读取已生成的数据包，计算漏斗、分组、停滞项目和目标完成情况，输出 stats.json 的内容。

Compute the progress statistics (funnel, breakdowns, stalled projects, targets, reported
figures beside them) of a built package and write them as JSON (standard output, or
--out). The package itself is never changed: `springrain package` puts the same figures
into it. The "as of" date is SOURCE_DATE_EPOCH if set, else the latest date in the data.

\b
例 / Example:
  springrain stats --package build/data --out stats.json
""",
)
@package_option
@stdout_or_file("输出文件 / output file")
def command(package_dir: Path, out_file: Path) -> int:
    from springrain.derive.stats.tables import stats_json, tables
    from springrain.package.reader import read_records

    target = checked_output(out_file, package_dir)
    stats, _ = tables(read_records(package_dir))
    emit(stats_json(stats), target)
    if target is not None:
        click.echo(
            f"统计完成（截至 {stats['as_of']}）：停滞项目 {len(stats['stalled'])} 个，"
            f"目标 {len(stats['targets'])} 项，写入 {target}\n"
            f"Statistics as of {stats['as_of']}: {len(stats['stalled'])} stalled projects, "
            f"{len(stats['targets'])} targets, in {target}.",
            err=True,
        )
    return 0
