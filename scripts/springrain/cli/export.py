"""``springrain export``: the official forms as spreadsheets (blank or filled) and the list
of class III projects ready for reporting to CMDE."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from springrain.cli.options import data_option, today_option
from springrain.cli.report import print_report

HELP = """导出官方表格（.xlsx）：福建附件1、附件2 的空白模板，项目（填好的附件1），合作意向（填好的附件2），或某个行动方案报送国家局器审中心的产品清单。

Write an official form as .xlsx: a blank template of Fujian annex 1 or 2
(--template), a project as a filled annex 1 (--project), cooperations of one enterprise
as a filled annex 2 (--cooperation, repeatable), or the list of a programme's class III
projects ready for reporting to CMDE (--cmde-list --programme). Give exactly one of them.
Records come from the data directory (--data; the records exported are validated first and
nothing is written on an error) or from a built package (--package). What
`springrain import` reads back is exactly this layout. Text is written as text, never as a
formula; the file is byte-reproducible.

{layouts}

产品清单 / CMDE list: {cmde}

\b
例 / Example:
  springrain export --template annex1 --out 附件1.xlsx
  springrain export --project GD-2026-0001 --out GD-2026-0001.xlsx
  springrain export --cooperation COOP-0001 --package build/data --out COOP-0001.xlsx
  springrain export --cmde-list --programme GD-2026-2028 --out 产品清单.xlsx
"""


def _layouts() -> dict[str, str]:
    from springrain.intake.sheets.cmde import SHEET, TITLE, column_titles_en, headers
    from springrain.intake.sheets.writer import describe

    cmde = (
        f"工作表「{SHEET}」，第 1 行标题（{TITLE}、行动方案、项数），第 2 行表头，第 3 行起每行一个项目，"
        "按产品定型日期、编号排序。列："
        + "、".join(headers())
        + "。收录该行动方案中产品分类为第三类、"
        "状态历程到达“产品定型”或其后、且未撤回或清退的项目；产品定型日期为第一次到达的日期。"
        " Columns: " + ", ".join(column_titles_en()) + "."
    )
    return {"layouts": "\n\n".join(describe(name) for name in ("annex1", "annex2")), "cmde": cmde}


class ExportCommand(click.Command):
    """The help names each layout as the writer builds it: filled in when it is shown, so
    that the layouts are read from the schemas only when someone asks."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.help and "{layouts}" in self.help:
            self.help = self.help.format(**_layouts())
        super().format_help_text(ctx, formatter)


@click.command("export", cls=ExportCommand, help=HELP)
@click.option(
    "--template",
    type=click.Choice(["annex1", "annex2"]),
    default=None,
    help="空白模板 / a blank template",
)
@click.option("--project", "project_id", default=None, help="项目编号 / project id (annex 1)")
@click.option(
    "--cooperation",
    "cooperation_ids",
    multiple=True,
    help="合作编号，可重复（同一企业）/ cooperation id, repeatable (one enterprise; annex 2)",
)
@click.option("--cmde-list", "cmde_list", is_flag=True, help="产品清单 / the CMDE list")
@click.option(
    "--programme", default=None, help="行动方案编号（产品清单）/ programme id (CMDE list)"
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="输出的 .xlsx 文件 / the .xlsx file to write",
)
@data_option
@click.option(
    "--package",
    "package_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="从已生成的数据包读取（代替 --data）/ read a built package instead of --data",
)
@click.option(
    "--demo",
    is_flag=True,
    help="接受示例记录（仅用于演示数据目录）/ accept demo records (demo directories only)",
)
@today_option("以该日期校验 / date used as today when validating")
def command(
    template: str | None,
    project_id: str | None,
    cooperation_ids: tuple[str, ...],
    cmde_list: bool,
    programme: str | None,
    out_file: Path,
    data_dir: Path,
    package_dir: Path | None,
    demo: bool,
    today: dt.datetime | None,
) -> int:
    chosen = [bool(template), bool(project_id), bool(cooperation_ids), cmde_list]
    if sum(chosen) != 1:
        raise click.UsageError(
            "请只给出 --template、--project、--cooperation、--cmde-list 中的一项 / give exactly one "
            "of --template, --project, --cooperation, --cmde-list"
        )
    if cmde_list and not programme:
        raise click.UsageError("--cmde-list 需要 --programme / --cmde-list needs --programme")
    if programme and not cmde_list:
        raise click.UsageError("--programme 只用于 --cmde-list / --programme is for --cmde-list")
    from springrain import safety
    from springrain.config import DATA_DIR
    from springrain.intake.sheets import exports, writer

    protected = [DATA_DIR, data_dir, *([package_dir] if package_dir else [])]
    out_file = safety.output_file(out_file, protected, ".xlsx")
    if template:
        path = writer.write_template(template, out_file)
        click.echo(f"已写出空白模板：{path}\nBlank template written: {path}")
        return 0
    source = exports.Source(data_dir, package_dir, demo=demo, today=today.date() if today else None)
    with print_report():
        if project_id:
            path = exports.export_project(source, project_id.strip(), out_file)
            click.echo(
                f"已导出项目 {project_id}（附件1）：{path}\nProject exported as annex 1: {path}"
            )
        elif cooperation_ids:
            ids = [i.strip() for i in cooperation_ids]
            path = exports.export_cooperations(source, ids, out_file)
            click.echo(
                f"已导出合作 {'、'.join(ids)}（附件2）：{path}\nCooperations exported as annex 2: {path}"
            )
        else:
            assert programme is not None
            path, count = exports.export_cmde_list(source, programme.strip(), out_file)
            click.echo(
                f"已导出 {programme} 的产品清单（{count} 项）：{path}\n"
                f"CMDE list of {programme} ({count} projects): {path}"
            )
    return 0
