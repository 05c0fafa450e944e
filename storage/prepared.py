"""Statements compiled once per backend and run on the driver's cursor: the hot path of a turn.

SQLAlchemy Core caches what it compiles, yet each execution of a Core statement
still looks its cache up, builds the parameters and their processing, and
builds a result object around the cursor: some tens of microseconds, five
times a turn, several times what the database itself takes. ``Prepared`` does
the compiling once per backend. It keeps the SQL text, the order of its
parameters and each value's converter (the column types' own, so a value is
stored and read exactly as Core would store and read it), and runs the text on
the connection's cursor through ``Connection._cursor_execute``: SQLAlchemy's
path for statements it runs itself outside a result (sequences, defaults). So
the connection, its transaction, its events and its error wrapping stay
SQLAlchemy's: a listener still sees every statement, and a database error is
still a ``DBAPIError`` (and a lost connection is invalidated) as with Core.
When no listener and no echo log wants the statement, it does what that method
then does — the dialect's ``do_execute``, an error through
``Connection._handle_dbapi_exception`` — without looking up the listeners
again. Whether anyone wants them is looked up once per connection, at its first
prepared statement (the look through SQLAlchemy's dispatch, made for each, cost
a turn about 4 % of its instructions): a listener added while a connection is
open sees its prepared statements from the next connection on, and every unit
of work takes a connection of its own. Those methods are SQLAlchemy's own, not
its public API: the storage tests run every prepared statement, watched and
not, and make it fail, so an upgrade that changed them would fail them.

For the few statements every turn runs; everything else stays plain Core.
"""

from __future__ import annotations

import datetime as dt
import functools
import weakref
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.exc import StatementError
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import Select
from sqlalchemy.types import TypeDecorator, TypeEngine

__all__ = ["Prepared", "bound"]

Convert = Callable[[Any], Any] | None


def bound(*columns: str) -> dict[str, BindParameter[Any]]:
    """A bound value for each column, named as the column: what an INSERT to prepare takes
    (``.values(bound(...))``; the column gives each value its type and so its converter)."""
    return {name: bindparam(name) for name in columns}


@dataclass(frozen=True)
class _Plan:
    sql: str
    template: tuple[Any, ...]  # the parameters in the SQL's order: the fixed ones filled in, the rest None
    slots: tuple[tuple[int, str, Convert], ...]  # where each given value goes, by its key, and its converter
    names: tuple[str, ...] | None  # the names in the SQL if it takes named parameters, else None
    fields: Any  # a result row's named tuple (a class made with the statement's column keys)
    reads: tuple[tuple[int, Callable[[Any], Any]], ...]  # the result columns that are converted, and how

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        filled = list(self.template)
        try:
            for index, key, convert in self.slots:
                filled[index] = values[key] if convert is None else convert(values[key])
        except Exception as exc:  # as Core reports a value its type refuses
            raise StatementError(f"({exc.__class__.__name__}) {exc}", self.sql, dict(values), exc) from exc
        return tuple(filled) if self.names is None else dict(zip(self.names, filled, strict=True))

    def row(self, raw: Sequence[Any]) -> Any:
        values = list(raw)
        for index, read in self.reads:
            values[index] = read(values[index])
        return self.fields._make(values)


class Prepared:
    """One statement (with ``bindparam``\\ s for every value), compiled once per backend."""

    def __init__(self, statement: Select[Any] | UpdateBase) -> None:
        self._statement = statement
        self._plans: dict[tuple[str, str], _Plan] = {}

    def count(self, conn: Connection, values: Mapping[str, Any]) -> int:
        """Run it; how many rows it changed."""
        cursor, _ = self._run(conn, values)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def rows(self, conn: Connection, values: Mapping[str, Any]) -> list[Any]:
        """Run it and return its rows converted as Core would, with a field for each column's key."""
        cursor, plan = self._run(conn, values)
        try:
            return [plan.row(raw) for raw in cursor.fetchall()]
        finally:
            cursor.close()

    def _run(self, conn: Connection, values: Mapping[str, Any]) -> tuple[DBAPICursor, _Plan]:
        key = (conn.dialect.name, conn.dialect.driver)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = _compile(self._statement, conn.dialect)
        parameters = plan.parameters(values)
        cursor = conn.connection.cursor()
        try:
            if _watched(conn):
                conn._cursor_execute(cursor, plan.sql, parameters)  # events, error wrapping: see the module's text
            else:  # what _cursor_execute does when nobody listens or logs: run it, wrap an error
                try:
                    conn.dialect.do_execute(cursor, plan.sql, parameters, None)
                except BaseException as exc:
                    conn._handle_dbapi_exception(exc, plan.sql, parameters, cursor, None)
        except BaseException:
            cursor.close()
            raise
        return cursor, plan


def _watched(conn: Connection) -> bool:
    """Whether a listener or the echo log wants to see the statements the connection runs: looked
    up at its first prepared statement, then kept as long as the connection lives."""
    watched = _WATCHED.get(conn)
    if watched is None:
        dispatch = conn.dispatch
        watched = _WATCHED[conn] = bool(
            conn._echo or conn.dialect._has_events or dispatch.before_cursor_execute or dispatch.after_cursor_execute
        )
    return watched


_WATCHED: weakref.WeakKeyDictionary[Connection, bool] = weakref.WeakKeyDictionary()


def _converter(kind: TypeEngine[Any], dialect: Dialect) -> Convert:
    """The type's own bind converter; for a time, one shared by every statement of the backend
    that remembers the last time it converted: a turn stores its one moment in several
    statements, and a datetime never changes."""
    convert = kind.dialect_impl(dialect).bind_processor(dialect)
    if convert is None or _python_type(kind) is not dt.datetime:
        return convert
    key = (repr(kind), type(kind), dialect.name, dialect.driver)
    shared = _TIMES.get(key)
    if shared is None:
        shared = _TIMES[key] = _remembering(convert)
    return shared


_TIMES: dict[tuple[str, type, str, str], Callable[[Any], Any]] = {}


def _reader(kind: TypeEngine[Any], dialect: Dialect) -> Convert:
    """The type's own result converter; for a time, one that keeps what it read last: the
    same few times (a participant's, their response's) are read turn after turn."""
    read = kind.dialect_impl(dialect).result_processor(dialect, None)
    if read is None or _python_type(kind) is not dt.datetime:
        return read
    return functools.lru_cache(maxsize=1024)(read)


def _remembering(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    last: tuple[Any, Any] = (_NOTHING, None)

    def converted(value: Any) -> Any:
        nonlocal last
        seen, result = last  # one read: another writer's thread may set it meanwhile
        if value is not seen:
            result = convert(value)
            last = (value, result)
        return result

    return converted


_NOTHING = object()


def _python_type(kind: TypeEngine[Any]) -> type | None:
    """What a value of the type is in Python (a decorated type's: its implementation's)."""
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    try:
        return kind.python_type
    except NotImplementedError:
        return None


def _compile(statement: Select[Any] | UpdateBase, dialect: Dialect) -> _Plan:
    compiled = statement.compile(dialect=dialect)
    if compiled.escaped_bind_names or compiled.literal_execute_params or compiled.post_compile_params:
        raise ValueError("a prepared statement takes plain bound values only")
    order = compiled.positiontup if dialect.positional else list(compiled.binds)
    if order is None:
        raise ValueError("the statement's parameters have no order")
    binds = [compiled.binds[name] for name in order]
    converts = [_converter(bind.type, dialect) for bind in binds]
    columns = statement.exported_columns
    reads = [_reader(column.type, dialect) for column in columns]
    return _Plan(
        sql=compiled.string,
        # a value given with the statement (a JSON path's key, say) is the same at every execution
        template=tuple(
            None if bind.required else bind.effective_value if convert is None else convert(bind.effective_value)
            for bind, convert in zip(binds, converts, strict=True)
        ),
        slots=tuple(
            (index, bind.key, convert)
            for index, (bind, convert) in enumerate(zip(binds, converts, strict=True))
            if bind.required
        ),
        names=None if dialect.positional else tuple(compiled.bind_names[bind] for bind in binds),
        fields=namedtuple("_Row", [str(key) for key in columns.keys()]),
        reads=tuple((index, read) for index, read in enumerate(reads) if read is not None),
    )
