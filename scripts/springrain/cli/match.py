"""``springrain match``: suggest partners both ways and add the ``matches`` table."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.cli.options import package_option


@click.command(
    "match",
    help="""匹配项目与企业：为每个对接期项目推荐前10家企业、为每家企业推荐前10个项目，并写入数据包。

Suggest the top 10 enterprises for each project open to partners and the top 10 projects
for each enterprise, with checkable reasons, as the `matches` table of the data package.
Reads the built package (run `springrain package` first), never data/.

\b
例 / Example:
  springrain match
  springrain match --package build/demo-data/
""",
)
@package_option
def command(package_dir: Path) -> int:
    from springrain.derive.matching.table import run

    rows = run(package_dir)
    suggested = sum(1 for row in rows if row["project_rank"] or row["enterprise_rank"])
    click.echo(
        f"匹配完成：{suggested} 组推荐，{len(rows) - suggested} 组已有合作，写入 {package_dir / 'matches.csv'}\n"
        f"Matched: {suggested} suggested pairs, {len(rows) - suggested} existing cooperations, "
        f"in {package_dir / 'matches.csv'}."
    )
    return 0
