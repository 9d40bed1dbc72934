"""springrain.config: SOURCE_DATE_EPOCH, read in one place and refused when malformed."""

from __future__ import annotations

import pytest

from springrain.config import source_date_epoch
from springrain.errors import SpringrainError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("   ", None),
        ("1767225600", 1767225600),
        (" 0 ", 0),
        ("4294967295", 4294967295),
    ],
)
def test_a_whole_number_of_seconds_is_read(value: str, expected: int | None) -> None:
    assert source_date_epoch({"SOURCE_DATE_EPOCH": value}) == expected
    assert source_date_epoch({}) is None


@pytest.mark.parametrize(
    "value",
    ["abc", "²", "١٢٣", "-5", "1.5", "1e9", "12 34", "99999999999999", "9" * 5000, "4294967296"],
)
def test_anything_else_is_refused_in_both_languages(value: str) -> None:
    with pytest.raises(SpringrainError) as raised:
        source_date_epoch({"SOURCE_DATE_EPOCH": value})
    assert "SOURCE_DATE_EPOCH" in raised.value.message_zh
    assert "whole number of seconds" in raised.value.message_en


def test_every_command_refuses_it_before_doing_anything(
    run_cli, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    code, output = run_cli(
        "package", "--data", str(tmp_path / "none"), "--out", str(tmp_path / "p")
    )
    assert code == 1 and "Traceback" not in output
    assert "SOURCE_DATE_EPOCH" in output and "不是整数秒数" in output
    assert not (tmp_path / "p").exists()
