"""``springrain intake``: turn a GitHub issue-form body into a record and a comment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from springrain.cli.options import data_option, today_option


@click.command(
    "intake",
    help="""把 GitHub 议题表单的内容转为记录，校验后输出给申报人的中文留言（Markdown）。

Turn the body GitHub renders from an issue form into a record: assign the next free id,
write it canonically, validate it, and print the Markdown comment for the issue. Exit 0
when the record was written and passed, 1 when the submitter has to change something
(nothing is written then).

\b
例 / Example:
  springrain intake --form project --body body.md --author some-login --issue 12
""",
)
@click.option(
    "--form",
    type=click.Choice(["project", "enterprise", "cooperation", "correction"]),
    required=True,
    help="表单类型 / which form the issue used",
)
@click.option(
    "--body",
    "body_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    required=True,
    help="议题正文文件 / file holding the issue body",
)
@click.option("--author", default=None, help="议题作者的 GitHub 账号 / issue author's login")
@click.option("--issue", type=click.IntRange(1), default=None, help="议题编号 / issue number")
@data_option
@click.option(
    "--comment",
    "comment_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="同时把留言写入该文件 / also write the comment to this file",
)
@today_option("提交日期（默认今天）/ submission date (default: today)")
def command(
    form: str,
    body_file: Path,
    author: str | None,
    issue: int | None,
    data_dir: Path,
    comment_file: Path | None,
    today: dt.datetime | None,
) -> int:
    from springrain.intake.issues import run_intake

    body = body_file.read_text(encoding="utf-8", errors="replace")
    outcome = run_intake(
        form, body, data_dir, author=author, issue=issue, today=today.date() if today else None
    )
    if comment_file is not None:
        comment_file.write_text(outcome.comment, encoding="utf-8")
    click.echo(outcome.comment)
    return 0 if outcome.ok else 1
