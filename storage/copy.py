"""Copy every row of every table into another, empty database (SQLite → PostgreSQL).

The target is migrated to the newest schema first and must hold no rows at all,
so a copy never merges two histories. Rows keep their ids; tables are copied
parents first (foreign keys hold at every step), in one transaction on the
target, so a failed copy leaves it empty. PostgreSQL's id sequences are then
moved past the copied ids so that new rows do not collide with them.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage import db

BATCH_ROWS = 1000


class TargetNotEmpty(Exception):
    """The target database already holds rows; nothing was copied."""

    def __init__(self, table: str, rows: int) -> None:
        super().__init__(f"table {table} has {rows} rows")
        self.table = table
        self.rows = rows


class SchemaMismatch(Exception):
    """Source and target are not at the same schema revision."""


def tables() -> list[sa.Table]:
    """Every table of the schema, parents before children."""
    return list(SQLModel.metadata.sorted_tables)


def row_counts(connection: Connection) -> dict[str, int]:
    """Rows per table."""
    return {
        table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for table in tables()
    }


def _batches(connection: Connection, table: sa.Table) -> Iterator[list[dict]]:
    result = connection.execution_options(stream_results=True).execute(
        sa.select(table).order_by(*table.primary_key.columns)
    )
    while chunk := result.mappings().fetchmany(BATCH_ROWS):
        yield [dict(row) for row in chunk]


def _reset_sequences(connection: Connection) -> None:
    # Explicit ids do not advance a PostgreSQL sequence; without this the first
    # new row would collide with a copied one.
    for table in tables():
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or not isinstance(columns[0].type, sa.Integer):
            continue
        column = columns[0].name
        sequence = connection.execute(
            sa.text("SELECT pg_get_serial_sequence(:table, :column)"), {"table": table.name, "column": column}
        ).scalar_one()
        if sequence is None:
            continue
        quoted_table = connection.dialect.identifier_preparer.quote(table.name)
        quoted_column = connection.dialect.identifier_preparer.quote(column)
        connection.execute(
            sa.text(
                f"SELECT setval(:sequence, COALESCE((SELECT MAX({quoted_column}) FROM {quoted_table}), 0) + 1, false)"
            ),
            {"sequence": sequence},
        )


def copy_database(source: Engine, target: Engine) -> dict[str, int]:
    """Migrate ``target``, check it is empty, copy every row of ``source`` into it.

    Returns rows copied per table. Raises :class:`TargetNotEmpty` or
    :class:`SchemaMismatch` before writing anything.
    """
    db.upgrade(target)
    if db.current_revision(source) != db.current_revision(target):
        raise SchemaMismatch(f"source at {db.current_revision(source)}, target at {db.current_revision(target)}")
    with target.connect() as connection:
        for table, rows in row_counts(connection).items():
            if rows:
                raise TargetNotEmpty(table, rows)

    copied: dict[str, int] = {}
    with source.connect() as reader, target.begin() as writer:
        for table in tables():
            copied[table.name] = 0
            for batch in _batches(reader, table):
                writer.execute(table.insert(), batch)
                copied[table.name] += len(batch)
        if writer.dialect.name == "postgresql":
            _reset_sequences(writer)
        written = row_counts(writer)
        if written != copied:
            raise RuntimeError(f"copy check failed: wrote {written}, read {copied}")
    return copied
