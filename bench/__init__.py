"""Benchmarks of issue 6: dispatch, intake, engine, memory. Run them all with
``python -m bench`` (``--quick`` for small sizes, ``--postgres URL`` for PostgreSQL)."""
