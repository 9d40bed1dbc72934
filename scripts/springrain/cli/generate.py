"""``springrain generate``: rewrite every generated file from the schemas and the code."""

from __future__ import annotations

import click

from springrain.config import REPO_ROOT


@click.command(
    "generate",
    help="""根据手写的来源重新生成所有派生文件：表结构（schemas/tables/generated/）、
GitHub 议题表单（.github/ISSUE_TEMPLATE/）和参考页（docs/reference/）。改过 schemas/、
校验规则或命令帮助之后运行，并把生成的文件一起提交。

Regenerate every file that restates the JSON Schemas, the rules or the command help (Table
Schemas, issue forms, reference pages). With --check, change nothing and exit 1 when any is
stale.

\b
例 / Example:
  springrain generate
  springrain generate --check
""",
)
@click.option("--check", is_flag=True, help="只检查是否过期，不写文件 / only report stale files")
def command(check: bool) -> int:
    from springrain import generated

    changed = generated.stale() if check else generated.regenerate()
    for path in changed:
        state = "已过期" if check else ("已删除" if not path.exists() else "已更新")
        shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
        click.echo(f"{state}：{shown}")
    if check and changed:
        click.echo(
            "以上文件与来源不一致。请运行 springrain generate 并提交结果。\n"
            "These files differ from their sources; run springrain generate and commit them.",
            err=True,
        )
        return 1
    return 0
