"""Statements built once per process for the hot paths where compiling ORM queries cost most.

A busy workshop's phone requests each ran three to eight small queries, and Django compiled
every one afresh: 0.3 to 0.8 ms of CPU each, against 0.05 ms to send one and read its rows.
These helpers build each statement once from the models' own table and column names, adapt
values with the fields' own database preparation and convert results with the fields' own
converters, so rows read and written here are the same as through the ORM, on SQLite and on
PostgreSQL. Use them only where a profile shows the compiling matters; the ORM elsewhere.

On PostgreSQL the statements are also prepared on the server, once per connection, when the
connection allows prepared statements (``prepare_threshold`` in the database ``OPTIONS``, set
by ``settings.py``): a phone repeats the same few statements, and PostgreSQL parsing and
planning each afresh cost more of its CPU than running them (the participant query: 0.42 ms
of database CPU as a one-off statement, 0.16 ms prepared). Django's own queries keep its
client-side binding, which never prepares.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

M = TypeVar("M", bound=models.Model)

#: One value's converters: each is called as ``converter(value, expression, connection)``.
Converters = list[tuple[Callable[..., Any], Any]]


def quote(name: str) -> str:
    """Return a table or column name quoted for the database (``"group"``)."""
    return str(connection.ops.quote_name(name))


def column(model: type[models.Model], name: str) -> str:
    """Return ``"table"."column"`` of a model's field (``name`` is its name or attname)."""
    return _column(connection.vendor, model, name)


@cache
def _column(vendor: str, model: type[models.Model], name: str) -> str:
    del vendor  # part of the cache key: quoting differs between databases
    return f"{quote(model._meta.db_table)}.{quote(_db_column(model, name))}"


def _db_column(model: type[models.Model], name: str) -> str:
    """Return the database column of a model's field (``name`` is its name or attname)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return str(field.column)


def columns(model: type[models.Model], names: Sequence[str]) -> str:
    """Return the comma-separated qualified columns of ``names``, for a SELECT list."""
    return ", ".join(column(model, n) for n in names)


def table(model: type[models.Model]) -> str:
    """Return the model's quoted table name."""
    return quote(model._meta.db_table)


@cache
def _converters(vendor: str, model: type[models.Model], names: tuple[str, ...]) -> list[Converters]:
    """Return each field's converters, as the ORM's compiler would apply them."""
    del vendor  # part of the cache key: converters differ between databases
    out: list[Converters] = []
    for name in names:
        field = model._meta.get_field(name)
        col = field.get_col(model._meta.db_table)  # type: ignore[union-attr]
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        out.append([(c, col) for c in found])
    return out


@lru_cache(maxsize=256)
def attnames(model: type[models.Model], names: tuple[str, ...]) -> tuple[str, ...]:
    """Return the attribute names of ``names`` (``session`` -> ``session_id``)."""
    return tuple(model._meta.get_field(n).attname for n in names)  # type: ignore[union-attr]


def instance(model: type[M], names: Sequence[str], values: Sequence[Any]) -> M:
    """Return a model instance from a row's ``values`` of the fields ``names``, converted.

    Fields not in ``names`` are deferred, exactly as with ``only()``: reading one loads it.
    """
    db = connections[DEFAULT_DB_ALIAS]
    names = attnames(model, tuple(names))
    given: dict[str, Any] = {}
    converters = _converters(db.vendor, model, names)
    for name, value, convert in zip(names, values, converters, strict=True):
        for converter, col in convert:
            value = converter(value, col, db)
        given[name] = value
    # from_db takes the values in the model's own field order.
    order = [f.attname for f in model._meta.concrete_fields if f.attname in given]
    return model.from_db(db.alias, order, [given[n] for n in order])


def _cursor() -> Any:
    """Return a Django cursor (use it with ``with``) to run one of these statements.

    On PostgreSQL its database cursor binds parameters on the server and prepares each
    statement (see :func:`_preparing_cursor_class`); Django's wrapper around it is the usual
    one, so its query log, execute wrappers and translation of database errors
    (``IntegrityError``...) apply as to its own cursors. Elsewhere: Django's cursor.
    """
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        return db.cursor()
    db.close_if_health_check_failed()
    db.ensure_connection()
    if db.connection.prepare_threshold is None:
        # Prepared statements are off for this connection (Django's default; settings.py
        # turns them on): binding on the server without preparing would only cost more.
        return db.cursor()
    with db.wrap_database_errors:
        raw = _preparing_cursor_class()(db.connection)
        _read_timestamps_as_django_does(db, raw)
        db.validate_thread_sharing()
        return db.make_debug_cursor(raw) if db.queries_logged else db.make_cursor(raw)


@cache
def _preparing_cursor_class() -> type[Any]:
    """Return a psycopg cursor class that binds on the server and prepares every statement.

    psycopg keeps each connection's prepared statements (up to ``prepared_max``) and prepares
    again after a reconnection; the statements here use only ``%s`` placeholders, which it
    binds on the server as ``$1, $2...``.
    """
    import psycopg  # PostgreSQL only: SQLite never needs it

    class PreparingCursor(psycopg.Cursor[Any]):
        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> PreparingCursor:
            kwargs.setdefault("prepare", True)
            super().execute(query, params, **kwargs)
            return self

    return PreparingCursor


def _read_timestamps_as_django_does(db: Any, cursor: Any) -> None:
    """Give ``cursor`` Django's time zone for timestamps when its connection has another.

    The same check Django's PostgreSQL backend makes for each cursor it creates.
    """
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.postgres import types
    from psycopg.pq import Format

    loader = db.connection.adapters.get_loader(types["timestamptz"].oid, Format.TEXT)
    if db.timezone != loader.timezone:
        register_tzloader(db.timezone, cursor)


def fetch_one(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    """Run a statement and return its first row, or None."""
    with _cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


def fetch_all(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run a statement and return all its rows."""
    with _cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(r) for r in cursor.fetchall()]


def prepare(model: type[models.Model], name: str, value: Any) -> Any:
    """Return ``value`` as the field ``name`` saves it (JSON, datetimes on SQLite, ...)."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)  # type: ignore[union-attr]


def insert(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    conflict: tuple[Sequence[str], Sequence[str]] | None = None,
    returning_pk: bool = False,
) -> list[Any]:
    """Insert ``rows`` (values of the fields ``names``) in one statement.

    ``conflict`` is (unique fields, fields to update): an upsert, as ``bulk_create`` with
    ``update_conflicts`` writes it. Returns the new primary keys, in order, when asked
    (PostgreSQL and SQLite 3.35+ both return them), else an empty list.
    """
    if not rows:
        return []
    db = connections[DEFAULT_DB_ALIAS]
    key = (tuple(names), tuple(map(tuple, conflict)) if conflict else None, returning_pk)
    sql, fields = _insert_plan(db.vendor, model, *key, len(rows))
    params = [
        field.get_db_prep_save(value, db)
        for row in rows
        for field, value in zip(fields, row, strict=True)
    ]
    with _cursor() as cursor:
        cursor.execute(sql, params)
        return [r[0] for r in cursor.fetchall()] if returning_pk else []


@lru_cache(maxsize=256)
def _insert_plan(
    vendor: str,
    model: type[models.Model],
    names: tuple[str, ...],
    conflict: tuple[tuple[str, ...], tuple[str, ...]] | None,
    returning_pk: bool,
    count: int,
) -> tuple[str, list[Any]]:
    """Return an INSERT of ``count`` rows and the fields whose values it takes, in order."""
    del vendor  # part of the cache key: quoting differs between databases
    fields = [model._meta.get_field(n) for n in names]
    cols = ", ".join(quote(_db_column(model, n)) for n in names)
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    sql = f"INSERT INTO {table(model)} ({cols}) VALUES " + ", ".join([one] * count)
    if conflict is not None:
        unique, update = conflict
        target = ", ".join(quote(_db_column(model, n)) for n in unique)
        sets = ", ".join(
            f"{c} = EXCLUDED.{c}" for c in (quote(_db_column(model, n)) for n in update)
        )
        sql += f" ON CONFLICT ({target}) DO UPDATE SET {sets}"
    if returning_pk:
        sql += f" RETURNING {quote(str(model._meta.pk.column))}"
    return sql, fields
