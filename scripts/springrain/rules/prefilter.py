"""One pass over a canonical file's bytes that proves most records free of text and
contact-data problems, so their strings need not be walked one by one.

Each rule module lists what its exact check could find, as byte patterns (text.RAW_SUSPECTS,
pii.raw_suspects()); RE2 runs them all in one linear scan, about a fifth of the time of
Python's re running them in turn. Any match sends the record to both exact checks.
"""

from __future__ import annotations

from functools import cache

import re2

from . import pii, text


@cache
def _scanner() -> re2.Set:
    options = re2.Options()
    # Patterns and files are bytes: one byte a character, so UTF-8 sequences are spelt out.
    options.encoding = re2.Options.Encoding.LATIN1
    scanner = re2.Set.SearchSet(options)
    for pattern in (*text.RAW_SUSPECTS, *pii.raw_suspects()):
        scanner.Add(pattern)
    scanner.Compile()
    return scanner


def warm() -> None:
    """Compile before forking, so worker processes inherit the scanner."""
    _scanner()


def suspect(raw: bytes) -> bool:
    """False proves that the exact text and PII checks find nothing in this canonical file."""
    return _scanner().Match(raw) is not None
