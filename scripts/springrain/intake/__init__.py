"""The ways data arrives: GitHub issue forms, spreadsheets, and who may change what."""
