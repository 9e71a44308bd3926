"""Queries whose SQL the ORM writes once per process, then runs again with other values.

Building a QuerySet and compiling it to SQL costs several times what running a short query
costs (docs/performance.md, "The answer path"). The few reads every answer makes are
written as ordinary QuerySets, from the same QuerySet methods and rules as everywhere else;
`ReusableQuery` compiles each once per database with stand-in values, keeps the SQL, and on
every later call puts the real values in the stand-ins' places and lets Django's own
iterables turn the rows into model instances, tuples or values.

Only values the ORM passes into the SQL as they are can be reused this way: a value it
transforms on the way (a pattern for `__contains` or `__startswith`) is not found among the
parameters, and the first call fails loudly rather than run a different query.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError

# The query is built twice, with two sets of stand-ins: a parameter that follows them is a
# value's place, one that stays the same is part of the query. Integer stand-ins fit the
# smallest column, as Django makes a query for a value out of its column's range empty.
_STANDINS: dict[type, tuple[Any, Any]] = {
    int: (32_001, 32_201),
    str: ("\x1fstand-in a ", "\x1fstand-in b "),
}
# How far an integer may go in a column, by the type PostgreSQL's backend gives the value
# (psycopg's Int2, Int4, Int8); a plain int, as on SQLite, may take 64 bits.
_INTEGER_LIMITS = {"Int2": 2**15 - 1, "Int4": 2**31 - 1}
_BIGGEST = 2**63 - 1


def _standin(kind: type, index: int, which: int) -> Any:
    first = _STANDINS[kind][which]
    return first + index if kind is int else f"{first}{index}"


@dataclass(frozen=True)
class _Slot:
    position: int  # in the parameters
    name: str  # of the value
    wrap: type  # the type the backend gave the stand-in (int, str, psycopg's Int2…)
    limit: int | None  # for an integer, the largest the column can hold


@dataclass(frozen=True)
class _Compiled:
    queryset: models.QuerySet  # as built with the first stand-ins
    compiler: SQLCompiler  # after compiling: knows the columns, joins and converters
    sql: str
    params: tuple[Any, ...]
    slots: tuple[_Slot, ...]

    def params_for(self, values: dict[str, Any]) -> tuple[Any, ...] | None:
        """The parameters with these values in their places; None when an integer is out of
        its column's range, so that no row can match (and sending it would be an error)."""
        params = list(self.params)
        for slot in self.slots:
            value = values[slot.name]
            if slot.limit is not None and not -slot.limit - 1 <= value <= slot.limit:
                return None
            params[slot.position] = value if slot.wrap is type(value) else slot.wrap(value)
        return tuple(params)


class _CompiledQuery:
    """Stands in for a QuerySet's `query` while Django's iterable runs it: its compiler has
    the SQL and parameters already, and everything else is the built query's."""

    def __init__(self, compiled: _Compiled, params: tuple[Any, ...]) -> None:
        self._compiled, self._params = compiled, params

    def get_compiler(self, using: str | None = None, **kwargs: Any) -> SQLCompiler:
        compiler = copy.copy(self._compiled.compiler)
        compiler.connection = connection = connections[using or DEFAULT_DB_ALIAS]
        # What Django checks while it compiles a query that locks rows.
        features = connection.features
        if (
            self._compiled.queryset.query.select_for_update
            and features.has_select_for_update
            and features.supports_transactions
            and connection.get_autocommit()
        ):
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        sql, params = self._compiled.sql, self._params
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return compiler

    def __getattr__(self, name: str) -> Any:
        return getattr(self._compiled.queryset.query, name)


class ReusableQuery[M: models.Model]:
    """A read built by `build(**values)` from QuerySet methods and compiled once per process.

    `kinds` names each value `build` takes with its type, int or str. Calling the query with
    those values returns a list of what iterating `build(**values)` would give, locking rows
    as it would (`select_for_update`, which is checked to be inside a transaction on each
    call, as Django checks it each time it compiles)."""

    def __init__(self, build: Callable[..., models.QuerySet[M]], **kinds: type) -> None:
        if not kinds or any(kind not in _STANDINS for kind in kinds.values()):
            raise TypeError("Name each value of the query with its type, int or str.")
        self._build = build
        self._kinds = kinds
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def __call__(self, **values: Any) -> list[Any]:
        if values.keys() != self._kinds.keys():
            raise TypeError(f"Expected the values {sorted(self._kinds)}, got {sorted(values)}.")
        for name, value in values.items():
            if not isinstance(value, self._kinds[name]):
                raise TypeError(f"{name} must be {self._kinds[name].__name__}: {value!r}")
        compiled = self._compiled.get(DEFAULT_DB_ALIAS)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(DEFAULT_DB_ALIAS) or self._compile(DEFAULT_DB_ALIAS)
        params = compiled.params_for(values)
        if params is None:
            return []
        queryset = compiled.queryset._chain()
        queryset._query = _CompiledQuery(compiled, params)
        return list(queryset)

    def first(self, **values: Any) -> Any | None:
        """The first row, or None when there is none (for a query by a unique key)."""
        found = self(**values)
        return found[0] if found else None

    def _compile(self, using: str) -> _Compiled:
        builds = []
        for which in (0, 1):
            values = {
                name: _standin(kind, index, which)
                for index, (name, kind) in enumerate(self._kinds.items())
            }
            queryset = self._build(**values).using(using)
            compiler = queryset.query.get_compiler(using)
            builds.append((queryset, compiler, *compiler.as_sql(), values))
        (queryset, compiler, sql, params, values), (_, _, sql_b, params_b, values_b) = builds
        if sql != sql_b or len(params) != len(params_b):
            raise TypeError("The query's SQL depends on its values: it cannot be reused.")
        names = {(value, values_b[name]): name for name, value in values.items()}
        slots = []
        for position, (param, param_b) in enumerate(zip(params, params_b, strict=True)):
            name = names.get((param, param_b))
            if name is not None and isinstance(param, self._kinds[name]):
                limit = None
                if isinstance(param, int):
                    limit = _INTEGER_LIMITS.get(type(param).__name__, _BIGGEST)
                slots.append(_Slot(position, name, type(param), limit))
            elif param != param_b:
                raise TypeError(f"The ORM transformed a value of the query: {param!r}.")
        missing = set(self._kinds) - {slot.name for slot in slots}
        if missing:
            raise TypeError(f"Not found among the query's parameters: {sorted(missing)}.")
        compiled = _Compiled(queryset, compiler, sql, tuple(params), tuple(slots))
        self._compiled[using] = compiled
        return compiled
