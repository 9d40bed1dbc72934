"""``springrain forms``: regenerate the GitHub issue forms from the schemas."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.config import REPO_ROOT

TEMPLATE_DIR = REPO_ROOT / ".github" / "ISSUE_TEMPLATE"


@click.command(
    "forms",
    help="""根据数据结构（schemas/）重新生成 GitHub 议题表单（.github/ISSUE_TEMPLATE/）。

Regenerate the GitHub issue forms from the JSON Schemas. With --check, change nothing and
exit 1 when a form is stale.

\b
例 / Example:
  springrain forms
  springrain forms --check
""",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=TEMPLATE_DIR,
    show_default=".github/ISSUE_TEMPLATE/",
    help="输出目录 / output directory",
)
@click.option("--check", is_flag=True, help="只检查是否过期 / only check for stale forms")
def command(out_dir: Path, check: bool) -> int:
    from springrain.intake import forms

    if check:
        stale = forms.stale(out_dir)
        for name in stale:
            click.echo(f"表单已过期：{name}（请运行 springrain forms）\nStale form: {name}")
        return 1 if stale else 0
    for path in forms.write(out_dir):
        click.echo(f"已写入 / written: {path}")
    return 0
