"""``springrain stats``: progress statistics as package tables and stats.json."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.cli.options import package_option


@click.command(
    "stats",
    help="""统计进展：漏斗、分组、停滞项目、目标完成情况，写入数据包和 stats.json。

Compute the progress statistics (funnel, breakdowns, stalled projects, targets, reported
figures beside them) as tables of the data package and as stats.json for the site.
The "as of" date is SOURCE_DATE_EPOCH if set, else the latest date in the data.

\b
例 / Example:
  springrain stats
  springrain stats --package build/demo-data/
""",
)
@package_option
def command(package_dir: Path) -> int:
    from springrain.derive.stats.tables import STATS_JSON, run

    stats = run(package_dir)
    click.echo(
        f"统计完成（截至 {stats['as_of']}）：停滞项目 {len(stats['stalled'])} 个，"
        f"目标 {len(stats['targets'])} 项，写入 {package_dir / STATS_JSON}\n"
        f"Statistics as of {stats['as_of']}: {len(stats['stalled'])} stalled projects, "
        f"{len(stats['targets'])} targets, in {package_dir / STATS_JSON}."
    )
    return 0
