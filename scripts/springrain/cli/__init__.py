"""The ``springrain`` command: argument handling and exit codes only; the work is elsewhere.

Each module of this package that defines ``command`` contributes one subcommand.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from springrain.config import source_date_epoch
from springrain.errors import SpringrainError

HELP = """春雨行动开放数据管道：校验记录、生成数据包与网站。

The Spring Rain Action open-data pipeline: validate records, build the data package and site.

\b
常用 / Common:
  springrain validate            校验 data/ 下的全部记录 / validate every record
  springrain fmt PATH...         把记录整理为标准格式 / rewrite records canonically
  springrain demo --out DIR      生成虚构的示例数据 / write fictional demo data
"""


@click.group(
    help=HELP, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(package_name="springrain", message="springrain %(version)s")
def cli() -> None:
    # Read before any step: a malformed value is refused here, with the fix, rather than
    # met by a library imported on the way (scipy's f2py reads it with a bare int()).
    source_date_epoch()


def _register() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every failure becomes a Chinese and English message and an exit code."""
    try:
        result = cli.main(args=argv, prog_name="springrain", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.UsageError as error:
        hint = f"（运行 {error.ctx.command_path} --help 查看用法）" if error.ctx else ""
        click.echo(
            f"用法错误：{error.format_message()}{hint}\nUsage error: {error.format_message()}",
            err=True,
        )
        return 2
    except click.ClickException as error:
        click.echo(f"错误：{error.format_message()}\nError: {error.format_message()}", err=True)
        return error.exit_code
    except click.Abort:
        click.echo("已中止。\nAborted.", err=True)
        return 1
    except SpringrainError as error:
        click.echo(f"错误：{error.message_zh}\nError: {error.message_en}", err=True)
        return error.exit_code
    return result if isinstance(result, int) else 0


def entry() -> None:
    sys.exit(main())
