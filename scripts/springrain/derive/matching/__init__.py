"""Suggested partners: each criterion scores and explains itself; the engine ranks.

- ``criteria``: the registry and one module per criterion (code, label, weight, score, reason);
- ``evidence``: the criteria applied to the records, as points tables and reasons;
- ``ranking``: top 10 both ways over all pairs, a block of projects at a time;
- ``engine``: which projects are matched, existing cooperations, the rows;
- ``table``: the ``matches`` Table Schema and its rows from a ``RecordSet``;
- ``recall``: recall@10 with the cooperations hidden;
- ``text``: jieba segmentation and BM25 (the ``text`` criterion's model).
"""
