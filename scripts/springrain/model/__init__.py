"""The model of the records, read from ``schemas/`` and never restated elsewhere.

Owns: the record kinds (folder, table, package file, id pattern and template), the schemas
and vocabularies with their field annotations (who sets a field, whether it is on the
forms), the date fields, the status roles, the hand-kept tables, the canonical form of a
record file, and the one discovery of record files under a data directory.
"""
