"""The open data package: written once, at the end of the pipeline, and read by one reader.

Owns: the files of the package (CSV, JSON, workbook, SQLite, descriptor, checksums) and
their provenance; the reader every later step uses (matching, statistics, the site).
"""
