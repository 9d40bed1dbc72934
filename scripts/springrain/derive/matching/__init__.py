"""Suggested partners: each criterion scores and explains itself; the engine ranks."""
