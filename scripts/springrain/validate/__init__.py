"""Validation: the engine that walks the registered checks, the checks, and the reports.

Each check lives in ``validate.checks`` and declares its rules (code, severity, Chinese and
English messages) and what it inspects; the engine has no rule of its own.
"""
