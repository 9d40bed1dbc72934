"""springrain: the open-data pipeline of the Spring Rain Action (春雨行动) catalogue."""

__version__ = "0.1.0"
