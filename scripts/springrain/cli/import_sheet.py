"""``springrain import``: records from the Shanghai collection sheet (转化项目信息征集表)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import click

from springrain.cli.options import data_option, today_option
from springrain.errors import SpringrainError


def _province_of(data_dir: Path, programme: str) -> str:
    path = data_dir / "programmes.csv"
    if path.is_file():
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("id") == programme:
                    return row.get("province", "")
    return ""


@click.command(
    "import",
    help="""从上海《转化项目信息征集表》（.xlsx）批量导入项目，每个数据行一条记录，并报告未导入的每一行。

Import projects from the Shanghai collection sheet: one record per data row, the contact
column never read, every row not imported reported with its number and reason. Fields the
sheet lacks are listed for the regulator to complete; until then the records fail
validation. Exit 1 when a row was refused (blank and example rows do not count).

\b
例 / Example:
  springrain import 征集表.xlsx --programme SH-2026 --author some-login
""",
)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--programme", default="SH-2026", show_default=True, help="行动方案编号 / programme id"
)
@click.option("--province", default=None, help="省份代码（默认取自行动方案）/ province code")
@data_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="写入目录（默认即数据目录）/ where to write (default: the data directory)",
)
@click.option("--author", default=None, help="导入人的 GitHub 账号 / importer's GitHub login")
@today_option("提交日期（默认今天）/ submission date (default: today)")
def command(
    file: Path,
    programme: str,
    province: str | None,
    data_dir: Path,
    out_dir: Path | None,
    author: str | None,
    today: dt.datetime | None,
) -> int:
    from springrain.intake.sheets.shanghai import import_sheet

    province = province or _province_of(data_dir, programme)
    if not province:
        raise SpringrainError(
            f"无法确定行动方案 {programme} 所在省份，请用 --province 指定。",
            f"Cannot tell the province of programme {programme}; pass --province.",
        )
    report = import_sheet(
        file,
        data_dir,
        out_dir or data_dir,
        programme,
        province.upper(),
        author,
        today.date() if today else dt.date.today(),
    )
    click.echo(report.render())
    return 1 if report.refused else 0
