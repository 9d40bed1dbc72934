"""Progress statistics: each figure defined once, computed from the records."""
