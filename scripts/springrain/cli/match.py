"""``springrain match``: the suggested partners of a built package, as a CSV table."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.cli.options import checked_output, emit, package_option, stdout_or_file


@click.command(
    "match",
    help="""匹配项目与企业：读取已生成的数据包，为每个对接期项目推荐企业、为每家企业推荐项目，输出 matches 表（CSV）。

Suggest partners both ways for the records of a built package and write the `matches`
table as CSV (to standard output, or to --out). The package itself is never changed:
`springrain package` and `springrain build` put the same table into it.

\b
例 / Example:
  springrain match --package build/data --out matches.csv
""",
)
@package_option
@stdout_or_file("输出文件 / output file")
def command(package_dir: Path, out_file: Path) -> int:
    from springrain.derive.matching import table
    from springrain.package.csvfiles import dumps_table
    from springrain.package.reader import read_records

    target = checked_output(out_file, package_dir)
    rows = table.matches(read_records(package_dir))
    names = [f["name"] for f in table.table_schema()["fields"]]
    text = dumps_table(names, ([row.get(name) for name in names] for row in rows))
    emit(text.encode("utf-8"), target)
    if target is not None:
        suggested = sum(1 for row in rows if row["project_rank"] or row["enterprise_rank"])
        click.echo(
            f"匹配完成：{suggested} 组推荐，{len(rows) - suggested} 组已有合作，写入 {target}\n"
            f"Matched: {suggested} suggested pairs, {len(rows) - suggested} existing "
            f"cooperations, in {target}.",
            err=True,
        )
    return 0
