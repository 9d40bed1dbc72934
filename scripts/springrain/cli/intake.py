"""``springrain intake``: turn a GitHub issue-form body into a record and a comment."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from springrain.cli.options import data_option, today_option

NOT_A_FORM = 3


@click.command(
    "intake",
    help="""把 GitHub 议题表单的内容转为记录，校验后输出给申报人的中文留言（Markdown）。

Turn the body GitHub renders from an issue form into a record: assign the next free id,
write it canonically, validate it, and print the Markdown comment for the issue. The form
is recognised from the body's headings (labels are not needed: a fresh repository has
none). Exit 0 when the record was written and passed, 1 when the submitter has to change
something (nothing is written then), 3 when the issue was not made from a form.

\b
例 / Example:
  springrain intake --body body.md --author some-login --issue 12
  springrain intake --event "$GITHUB_EVENT_PATH" --comment comment.md
""",
)
@click.option(
    "--form",
    type=click.Choice(["auto", "project", "enterprise", "cooperation", "correction"]),
    default="auto",
    show_default=True,
    help="表单类型（auto：从正文的小标题识别）/ which form the issue used (auto: its headings)",
)
@click.option(
    "--body",
    "body_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="议题正文文件 / file holding the issue body",
)
@click.option(
    "--event",
    "event_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="GitHub 的 issues 事件文件（$GITHUB_EVENT_PATH），从中读取正文、作者和编号 / "
    "the GitHub issues event file: body, author and number are read from it",
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
    body_file: Path | None,
    event_file: Path | None,
    author: str | None,
    issue: int | None,
    data_dir: Path,
    comment_file: Path | None,
    today: dt.datetime | None,
) -> int:
    from springrain.intake.issues import detect_form, run_intake

    if (body_file is None) == (event_file is None):
        raise click.UsageError("需要 --body 或 --event 其中之一 / give --body or --event")
    if event_file is not None:
        body, author, issue = _from_event(event_file, author, issue)
    else:
        body = read_bounded(body_file).decode("utf-8", errors="replace")  # type: ignore[arg-type]
    if form == "auto":
        detected = detect_form(body)
        if detected is None:
            click.echo("这不是申报表单生成的议题，不作处理。\nNot an issue made from a form.")
            return NOT_A_FORM
        form = detected
    outcome = run_intake(
        form, body, data_dir, author=author, issue=issue, today=today.date() if today else None
    )
    if comment_file is not None:
        comment_file.write_text(outcome.comment, encoding="utf-8")
    click.echo(outcome.comment)
    return 0 if outcome.ok else 1


def read_bounded(path: Path, *, event: bool = False) -> bytes:
    """The bytes of ``path``, refused unread past what an issue's body (or an issues event,
    its body and some kilobytes about the issue) can take: four bytes a character of the
    intake's limit. A device such as /dev/zero never ends."""
    from springrain.errors import SpringrainError
    from springrain.intake.issues import MAX_BODY_CHARS

    limit = 4 * MAX_BODY_CHARS + ((1 << 20) if event else 4)

    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise SpringrainError(
            f"无法读取文件 {path}：{error.strerror or error}。",
            f"Cannot read {path}: {error}",
        ) from None
    if len(data) > limit:
        raise SpringrainError(
            f"文件 {path} 超过 {limit} 字节，不是议题正文或事件文件，未作处理。"
            f"议题正文最多 {MAX_BODY_CHARS} 个字符。",
            f"{path} is larger than {limit} bytes: no issue body or event; nothing was done.",
        )
    return data


def _from_event(path: Path, author: str | None, issue: int | None) -> tuple[str, str, int]:
    """Body, author and number of the issue in a GitHub ``issues`` event file."""
    from springrain.errors import SpringrainError

    try:
        event = json.loads(read_bounded(path, event=True).decode("utf-8"))
        data = event["issue"]
        body, login, number = data.get("body") or "", data["user"]["login"], data["number"]
        # GitHub gives a string, a string and a positive integer: anything else is refused,
        # never converted (3.7 is not issue 3).
        if not (isinstance(body, str) and isinstance(login, str) and login):
            raise TypeError("issue.body and issue.user.login must be strings")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise TypeError("issue.number must be a positive integer")
        return body, author or login, issue or number
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise SpringrainError(
            f"无法读取事件文件 {path}：它应是 GitHub 的 issues 事件，其中 issue.body 和 "
            "issue.user.login 是文字，issue.number 是正整数。请检查工作流传入的文件。",
            f"Cannot read the event file {path}: {error}",
        ) from None
