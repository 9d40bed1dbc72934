"""``springrain docs``: regenerate the reference pages (error codes, command line)."""

from __future__ import annotations

import click

from springrain.config import REPO_ROOT


@click.command(
    "docs",
    help="""重新生成网站的参考页：错误代码表和命令行参考（来源是规则注册表和各命令的帮助）。

Regenerate the reference pages (error codes, CLI reference) from the code.

\b
例 / Example:
  springrain docs
  springrain docs --check
""",
)
@click.option("--check", is_flag=True, help="只检查是否过期 / only report stale pages")
def command(check: bool) -> int:
    from springrain.cli.reference import write_pages

    stale = write_pages(check=check)
    for path in stale:
        click.echo(f"{'已过期' if check else '已更新'}：{path.relative_to(REPO_ROOT)}")
    if check and stale:
        click.echo(
            "请运行 springrain docs 重新生成。\nRun springrain docs to regenerate.", err=True
        )
        return 1
    return 0
