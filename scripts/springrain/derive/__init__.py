"""Tables derived from the records: the record tables, matching and statistics.

They read a ``RecordSet`` (from a data directory, or from a built package) and return rows;
they never write files. The package writer publishes what they return.
"""
