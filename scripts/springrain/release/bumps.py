"""The version bumps ``springrain release`` accepts.

Apart from release.py so that the CLI can offer the choice without importing the packager."""

BUMPS = ("auto", "major", "minor", "patch")
