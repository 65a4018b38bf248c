"""Writing many rows fast, for the bench's data set: PostgreSQL's COPY, with primary keys
given here so related rows can point at each other before anything is written.

`Table(model)` takes rows as keyword arguments (attribute names, `bid_id` rather than
`bid`); a column not given gets the model field's default, as `Model()` would give it.
Rows go to the database in blocks through `COPY ... FROM STDIN` (psycopg2's copy_expert),
about twenty times faster than `bulk_create`, which builds a model instance and prepares
every value through its field. Other databases (the tests' SQLite) get the same rows
through `executemany`, prepared by the fields.

`built_at_end(models)` drops the tables' foreign keys and plain indexes for the load and
makes them again at the end, as pg_restore does: one sort per index, one pass per key.
Nothing goes unchecked: a row that points nowhere makes adding its key back fail, and the
seeding's transaction with it; primary keys and unique constraints stay throughout.
"""

import io
import json
import queue
import threading
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from django.db import connection

NULL = "\\N"


def text(value):
    """COPY's text format escapes backslash, tab, newline and carriage return; most text has
    none, and looking is much quicker than str.translate."""
    if "\\" in value or "\n" in value or "\t" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def as_json(value):
    return text(json.dumps(value))


# The same moments recur across rows (a round's dates and the steps counted from them), and
# spelling one with its time zone takes longer than looking it up.
MOMENTS = {}


def moment(value):
    spelled = MOMENTS.get(value)
    if spelled is None:
        spelled = MOMENTS[value] = value.isoformat()
    return spelled


# How COPY spells each kind of value, by its exact type (the commonest first).
SPELLINGS = {
    str: text,
    int: str,
    datetime: moment,
    bool: lambda value: "t" if value else "f",
    date: date.isoformat,
    Decimal: str,
    dict: as_json,
    list: as_json,
    type(None): lambda value: NULL,
}


def copy_text(value):
    """One value as COPY's text format spells it."""
    spell = SPELLINGS.get(type(value))
    if spell is None:
        # Choices (str enums whose str() is their value), UUIDs.
        return text(str(value))
    return spell(value)


def is_postgresql():
    return connection.vendor == "postgresql"


class Shape:
    """The rows of a table that give the same columns in the same order: one column list for
    COPY, the rest of the line (the other columns' defaults) written once."""

    def __init__(self, table, given):
        unknown = set(given) - set(table.names)
        if unknown:
            raise KeyError(f"{table.name} has no column {', '.join(sorted(unknown))}")
        fields = {field.attname: field for field in table.fields}
        self.given = [fields[name] for name in given]
        self.rest = [field for field in table.fields if field.attname not in given and not field.primary_key]
        self.fields = [table.pk_field, *self.given, *self.rest]
        self.columns = ", ".join(f'"{field.column}"' for field in self.fields)
        self.suffix = "".join("\t" + copy_text(table.defaults[field.attname]) for field in self.rest) + "\n"
        self.rest_values = [
            field.get_db_prep_save(table.defaults[field.attname], connection) for field in self.rest
        ]
        self.lines = []


class Table:
    """Rows for one model's table, with primary keys counted on from the largest there."""

    def __init__(self, model, copier=None, block=50_000):
        meta = model._meta
        self.model = model
        self.copier = copier
        self.name = meta.db_table
        self.pk_field = meta.pk
        self.fields = [field for field in meta.concrete_fields if not field.generated]
        self.names = {field.attname for field in self.fields}
        self.block = block
        self.rows = 0
        self.pending = 0
        self.shapes = {}
        self.copy = is_postgresql()
        # A default that must differ from row to row (a unique UUID) is made for each row;
        # any other is made once, as the field gives it.
        self.fresh = {}
        self.defaults = {}
        for field in self.fields:
            if field.primary_key:
                continue
            if field.has_default() and callable(field.default) and field.unique:
                self.fresh[field.attname] = field.default
            else:
                self.defaults[field.attname] = field.get_default()
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT MAX("{meta.pk.column}") FROM "{self.name}"')  # nosec B608
            self.next_pk = (cursor.fetchone()[0] or 0) + 1

    def add(self, **row):
        """Queue one row (attribute names, every one but the primary key); returns its key."""
        pk = self.next_pk
        self.next_pk = pk + 1
        if self.fresh:
            for name, make in self.fresh.items():
                if name not in row:
                    row[name] = make()
        given = tuple(row)
        shape = self.shapes.get(given)
        if shape is None:
            shape = self.shapes[given] = Shape(self, given)
        if self.copy:
            shape.lines.append(str(pk) + "\t" + "\t".join(map(copy_text, row.values())) + shape.suffix)
        else:
            shape.lines.append(
                [
                    pk,
                    *(
                        field.get_db_prep_save(value, connection)
                        for field, value in zip(shape.given, row.values(), strict=True)
                    ),
                    *shape.rest_values,
                ]
            )
        self.pending += 1
        self.rows += 1
        if self.pending >= self.block:
            self.flush()
        return pk

    def flush(self):
        with connection.cursor() as cursor:
            for shape in self.shapes.values():
                if not shape.lines:
                    continue
                if self.copy:
                    self.copier.send(f'COPY "{self.name}" ({shape.columns}) FROM STDIN', "".join(shape.lines))
                else:
                    marks = ", ".join(["%s"] * len(shape.fields))
                    cursor.executemany(
                        f'INSERT INTO "{self.name}" ({shape.columns}) VALUES ({marks})',  # nosec B608
                        shape.lines,
                    )
                shape.lines = []
        self.pending = 0

    def move_sequence(self):
        """Move the table's key sequence past the keys given here."""
        if self.rows and self.copy:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                    [f'"{self.name}"', self.pk_field.column, self.next_pk - 1],
                )
        return self.rows


class Copier(threading.Thread):
    """Sends blocks of rows to PostgreSQL while the next ones are being made: COPY does its
    work in the database's own process, so on two cores making rows and storing them overlap.
    It uses the transaction's own connection, so nothing else may use the connection while a
    block is on its way: the seeding's own queries wait for it to be `idle` first."""

    def __init__(self):
        super().__init__(name="bench-copier", daemon=True)
        connection.ensure_connection()
        self.raw = connection.connection
        self.blocks = queue.Queue(maxsize=4)  # how far making rows may run ahead
        self.failure = None

    def run(self):
        while True:
            block = self.blocks.get()
            try:
                if block is None:
                    return
                if self.failure is None:
                    statement, rows = block
                    with self.raw.cursor() as cursor:
                        cursor.copy_expert(statement, io.StringIO(rows))
            except Exception as error:  # raised in the seeding's own thread
                self.failure = error
            finally:
                self.blocks.task_done()

    def idle(self):
        """Wait until every block sent has been written, so the connection is free."""
        self.blocks.join()
        self.check()

    def send(self, statement, rows):
        self.check()
        self.blocks.put((statement, rows))

    def finish(self):
        self.blocks.put(None)
        self.join()
        self.check()

    def check(self):
        if self.failure is not None:
            raise self.failure


class Tables(dict):
    """A Table per model, made when first used. Used as a context manager: at the end of the
    block every row has been written and the key sequences moved on; `written` counts them."""

    def __enter__(self):
        self.copier = Copier() if is_postgresql() else None
        if self.copier:
            self.copier.start()
        return self

    def __missing__(self, model):
        if self.copier:
            self.copier.idle()  # a new table asks the database for its largest key
        table = self[model] = Table(model, self.copier)
        return table

    def __exit__(self, kind, error, traceback):
        if error is None:
            for table in self.values():
                table.flush()
        if self.copier:
            self.copier.finish()
        if error is None:
            for table in self.values():
                table.move_sequence()
            self.written = {model: table.rows for model, table in self.items()}


@contextmanager
def built_at_end(models):
    """Drop the models' tables' foreign keys and their indexes that back no constraint, and
    make them again at the end of the block: each index is built in one sort rather than
    row by row, and each key checks every row in one pass (as pg_restore does) rather than
    with a trigger per row at commit. A unique index checks its rows as it is built.

    Run inside the load's transaction: if the block fails, the rollback puts everything back
    as it was. PostgreSQL only; elsewhere the keys and indexes stay as they are."""
    if not is_postgresql():
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        # Checks already queued for rows written earlier in the transaction run now: a table
        # with pending checks cannot have its keys dropped.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [tables],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _ in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
