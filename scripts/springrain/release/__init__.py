"""Releases: comparing the data with the last release, choosing the version, the ledger."""
