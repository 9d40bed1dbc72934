"""The one exception the library raises for problems a user can fix."""

from __future__ import annotations

from typing import Any


class SpringrainError(Exception):
    """A problem with the input, told in Chinese with an English line beneath.

    The CLI prints both lines and exits with ``exit_code``; library code never prints.
    """

    def __init__(self, message_zh: str, message_en: str, exit_code: int = 1) -> None:
        super().__init__(f"{message_zh}\n{message_en}")
        self.message_zh = message_zh
        self.message_en = message_en
        self.exit_code = exit_code

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in a forked worker, the error is pickled back to the parent. Exception's
        # own way calls cls(*self.args), which this __init__ (and a subclass's) does not
        # take: the parent got a TypeError instead of the message.
        return (_restore, (type(self), self.args, self.__dict__))


def _restore(cls: type[SpringrainError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error
