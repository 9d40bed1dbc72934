"""Generated reference pages are current, and complete: every rule and command is listed."""

from __future__ import annotations

from springrain.cli import cli
from springrain.cli.reference import CLI_PAGE, ERRORS_PAGE
from springrain.validate.checks import RULES


def test_every_rule_is_on_the_error_page() -> None:
    page = ERRORS_PAGE.read_text("utf-8")
    missing = [code for code in RULES if f"`{code}`" not in page]
    assert missing == []


def test_every_command_has_help_and_is_in_the_reference() -> None:
    page = CLI_PAGE.read_text("utf-8")
    for name, command in cli.commands.items():
        assert command.help and "/" in command.help.split("\n\n")[0] + command.help, name
        assert f"## springrain {name}" in page
        # As a user types it: the command's name once (a sub-context names only itself).
        assert f"Usage: springrain {name} [OPTIONS]" in page, name
    assert "springrain springrain" not in page
