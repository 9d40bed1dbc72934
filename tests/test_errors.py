"""SpringrainError: its two messages and exit code survive the trip back from a worker."""

from __future__ import annotations

import pickle

import pytest

from springrain import workers
from springrain.errors import SpringrainError
from springrain.pipeline import InvalidData
from springrain.validate.engine import Report


def test_an_error_keeps_both_messages_and_its_exit_code_through_pickle() -> None:
    error = pickle.loads(pickle.dumps(SpringrainError("中文", "English", exit_code=2)))
    assert (error.message_zh, error.message_en, error.exit_code) == ("中文", "English", 2)
    assert str(error) == "中文\nEnglish"


def test_a_subclass_with_its_own_arguments_comes_back_whole() -> None:
    error = pickle.loads(pickle.dumps(InvalidData(Report())))
    assert isinstance(error, InvalidData) and isinstance(error.report, Report)
    assert "0 个错误" in error.message_zh and error.exit_code == 1


def _fails() -> None:
    raise SpringrainError("工作进程中的错误", "an error in a worker", exit_code=3)


def test_an_error_raised_in_a_worker_reaches_the_caller_as_itself() -> None:
    with workers.beside(_fails) as pending:
        if pending is None:
            pytest.skip("no second core or no fork here")
        with pytest.raises(SpringrainError) as raised:
            pending.result()
    assert raised.value.message_zh == "工作进程中的错误" and raised.value.exit_code == 3
