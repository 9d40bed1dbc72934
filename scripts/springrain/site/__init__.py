"""The public website, built from the data package only (never from data/ or raw records).

mkdocs-material renders the hand-written and summary pages; the thousands of project and
enterprise pages are rendered here directly with Jinja2 into a skeleton cut from a page
mkdocs built, so they share its look without costing mkdocs time.
"""
