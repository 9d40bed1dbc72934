"""``springrain policy``: who may change what between two revisions; CODEOWNERS from the list."""

from __future__ import annotations

from pathlib import Path

import click

from springrain.config import REPO_ROOT


def _codeowners_text(repo: Path) -> str:
    from springrain.intake import policy

    maintainers = repo / policy.MAINTAINERS_FILE
    programmes = repo / "data" / "programmes.csv"
    return policy.codeowners(
        maintainers.read_text(encoding="utf-8") if maintainers.is_file() else "login,scope\n",
        programmes.read_text(encoding="utf-8") if programmes.is_file() else "id,province\n",
    )


@click.command(
    "policy",
    help="""检查一次修改（两个 git 版本之间）是否符合“谁可以改什么”的规则，列出每一处不允许的修改。

Check that the changes between two revisions are allowed for their author: anyone may add
a record in its initial status, as its own submitter, without maintainer-only fields; its
submitter may edit the fields a submitter may set; only a maintainer of its programme may
change status, history or other guarded fields, move or withdraw it, or edit someone
else's record; no record file is deleted or replaced by a link, and no id reused; files
outside the record folders need a maintainer of everything (*). Exit 1 when a change is
refused. With --codeowners, regenerate
.github/CODEOWNERS from .github/maintainers.csv instead (--check: only compare).

\b
例 / Example:
  springrain policy --base origin/main --head HEAD --author some-login
  springrain policy --codeowners
""",
)
@click.option("--base", default=None, help="基准版本 / base revision")
@click.option("--head", default=None, help="修改后的版本 / head revision")
@click.option("--author", default=None, help="修改者的 GitHub 账号 / author's GitHub login")
@click.option(
    "--issue",
    type=click.IntRange(1),
    default=None,
    help="机器人根据议题开出的合并请求：议题编号 / for an intake pull request: the issue number",
)
@click.option(
    "--repo",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=REPO_ROOT,
    show_default="仓库根目录 / repository root",
    help="git 仓库 / git repository",
)
@click.option("--codeowners", is_flag=True, help="重新生成 CODEOWNERS / regenerate CODEOWNERS")
@click.option("--check", is_flag=True, help="与 --codeowners 一起：只检查 / only check")
def command(
    base: str | None,
    head: str | None,
    author: str | None,
    issue: int | None,
    repo: Path,
    codeowners: bool,
    check: bool,
) -> int:
    from springrain.intake import policy

    if codeowners:
        target = repo / policy.CODEOWNERS_FILE
        text = _codeowners_text(repo)
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if check:
            if current != text:
                click.echo(
                    "CODEOWNERS 已过期（请运行 springrain policy --codeowners）\n"
                    "CODEOWNERS is stale; run springrain policy --codeowners"
                )
                return 1
            return 0
        if current != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            click.echo(f"已写入 / written: {target}")
        return 0
    if not (base and head and author):
        raise click.UsageError("需要 --base、--head 和 --author / --base, --head and --author")
    refusals = policy.check(repo, base, head, author, issue)
    click.echo(policy.render(refusals))
    return 1 if refusals else 0
