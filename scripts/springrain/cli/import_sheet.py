"""``springrain import``: records from the official spreadsheets (Fujian annexes 1 and 2, the
Shanghai collection sheet)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from springrain.cli.options import data_option, today_option
from springrain.intake.sheets.limits import summary_en, summary_zh


@click.command(
    "import",
    help=f"""从官方表格（.xlsx）导入记录，并逐行（表单则逐栏）报告未导入的内容和原因。

\b
识别的表格 / Forms recognised (by title, labels or header row, wherever they sit):
  福建 附件1《医疗机构临床研究成果转化项目需求表》→ 一个项目
  福建 附件2《企业意向临床研究成果转化项目对接表》→ 一家企业及其每项合作意向
  上海《转化项目信息征集表》→ 每个数据行一个项目

Fujian annexes are forms: a label cell with its answer to the right, in any order; tick
boxes as printed (□/☑ 有源 …, 同意/不同意, 是/否) or the choice written out. The personal
cells (联系电话, 电子邮箱, 联系人, 联系人及联系方式) are never read. Formulas, formula-like
text, control characters and personal contact data in any spelling are refused with the
cell and the fix; hidden sheets, rows, columns and cells are reported, never imported.
A form is imported whole or not at all; a record already in the catalogue is not written
again. Fields the file lacks are listed for the regulator to complete (until then the
records fail validation). The programme and province come from the form, else --programme
/ --province, else the form's own document (闽药监器械〔2025〕18号 → FJ-2025,
沪药监械注〔2026〕69号 → SH-2026).

限制：{summary_zh()}。

Limits: {summary_en()}.

Exit 0 when everything was imported, 1 when anything was refused or left out (blank and
example rows do not count), 2 on bad usage.

\b
例 / Example:
  springrain import 需求表.xlsx --author some-login
  springrain import 征集表.xlsx --programme SH-2026 --author some-login
""",
)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--programme",
    default=None,
    help="行动方案编号（默认取自表格或其出处）/ programme id (default: from the form)",
)
@click.option("--province", default=None, help="省份代码（默认取自表格或行动方案）/ province code")
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
    programme: str | None,
    province: str | None,
    data_dir: Path,
    out_dir: Path | None,
    author: str | None,
    today: dt.datetime | None,
) -> int:
    from springrain.intake.sheets.importer import import_file

    report = import_file(
        file,
        data_dir,
        out_dir or data_dir,
        programme=programme,
        province=province.upper() if province else None,
        author=author,
        today=today.date() if today else dt.date.today(),
    )
    click.echo(report.render())
    return 1 if report.refused else 0
