"""Bulk importers for the spreadsheets regulators already collect."""
