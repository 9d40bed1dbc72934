"""The one exception the library raises for problems a user can fix."""


class SpringrainError(Exception):
    """A problem with the input, told in Chinese with an English line beneath.

    The CLI prints both lines and exits with ``exit_code``; library code never prints.
    """

    def __init__(self, message_zh: str, message_en: str, exit_code: int = 1) -> None:
        super().__init__(f"{message_zh}\n{message_en}")
        self.message_zh = message_zh
        self.message_en = message_en
        self.exit_code = exit_code
