"""What a service removes when a client's material is purged, and the engine that counts
(the dry run) or removes it.

A service declares a :class:`PurgePlan`: rows found through the client's cases (or the
client id, or a parent row), each either deleted or *blanked* — its personal columns set
to NULL or empty, its figures kept so reports still add up — and the file stores whose
``<owner>`` folders (a case id or the client id) go, in every copy. Rules run in the
order given, all in the caller's transaction; the cases table itself is only ever
blanked, so every rule still finds the client's cases.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import JSON, MetaData, String, Table, Text, TypeDecorator, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from shared.db import affected
from shared.filestore import safe_owner


@dataclass(frozen=True)
class ByClient:
    """Rows whose ``column`` is the client's id."""

    column: str = "client_id"


@dataclass(frozen=True)
class ByCase:
    """Rows whose ``column`` names one of the client's cases."""

    column: str = "case_id"


@dataclass(frozen=True)
class ByParent:
    """Rows whose ``column`` is the ``key`` of a ``table`` row that is the client's."""

    column: str
    table: str
    key: str
    rows: ByClient | ByCase | ByParent = field(default_factory=ByCase)


Match = ByClient | ByCase | ByParent


@dataclass(frozen=True)
class Delete:
    table: str
    rows: Match
    published_only: bool = False  # the outbox: never drop an event not yet sent


@dataclass(frozen=True)
class Blank:
    """Personal columns to NULL (or '' / [] where the column may not be NULL); ``to_id``
    columns take the row's own id instead (they are unique, e.g. an account reference)."""

    table: str
    rows: Match
    columns: tuple[str, ...]
    to_id: tuple[str, ...] = ()
    id_column: str = "id"
    fixed: tuple[tuple[str, Any], ...] = ()  # (column, value): an empty value of its own


@dataclass(frozen=True)
class Files:
    """A file store's folders named by owner, under every root (both copies, backups)."""

    kind: str
    roots: Callable[[Any], Sequence[Path]]
    owner: Literal["case", "client"] = "case"


Rule = Delete | Blank
MANIFEST = "MANIFEST.sha256"


@dataclass(frozen=True)
class PurgePlan:
    metadata: MetaData
    runs: Table
    cases: str = "cases"
    case_id: str = "id"
    rules: tuple[Rule, ...] = ()
    files: tuple[Files, ...] = ()


def _where(plan: PurgePlan, table: Table, match: Match, client_id: str) -> ColumnElement[bool]:
    if isinstance(match, ByClient):
        return table.c[match.column] == client_id
    if isinstance(match, ByCase):
        cases = plan.metadata.tables[plan.cases]
        owned = select(cases.c[plan.case_id]).where(cases.c.client_id == client_id)
        return table.c[match.column].in_(owned)
    parent = plan.metadata.tables[match.table]
    keys = select(parent.c[match.key]).where(_where(plan, parent, match.rows, client_id))
    return table.c[match.column].in_(keys)


def _rows(plan: PurgePlan, rule: Rule, client_id: str) -> ColumnElement[bool]:
    table = plan.metadata.tables[rule.table]
    where = _where(plan, table, rule.rows, client_id)
    if isinstance(rule, Delete) and rule.published_only:
        where = where & table.c.published_at.is_not(None)
    return where


def _blank_value(table: Table, name: str) -> Any:
    column = table.c[name]
    if column.nullable:
        return None
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, JSON):
        return []
    if isinstance(kind, String | Text):
        return ""
    raise ValueError(f"{table.name}.{name} can be neither NULL nor empty")


def case_ids(session: Session, plan: PurgePlan, client_id: str) -> list[str]:
    cases = plan.metadata.tables[plan.cases]
    query = select(cases.c[plan.case_id]).where(cases.c.client_id == client_id)
    return list(session.execute(query).scalars())


def _owners(session: Session, plan: PurgePlan, files: Files, client_id: str) -> set[str]:
    if files.owner == "client":
        return {safe_owner(client_id)}
    return {safe_owner(c) for c in case_ids(session, plan, client_id)}


def _owned_folders(roots: Sequence[Path], owners: set[str]) -> list[Path]:
    """Every folder under the roots named by one of the owners (at any depth: a dated
    backup keeps the store's layout one level down)."""
    found: list[Path] = []
    for root in roots:
        if not root.is_dir():
            continue
        for folder, subfolders, _files in os.walk(root):
            for name in list(subfolders):
                if name in owners:
                    found.append(Path(folder) / name)
                    subfolders.remove(name)
    return found


def _files_in(folder: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(folder))


def _drop_from_manifests(roots: Sequence[Path], owners: set[str]) -> None:
    """A dated backup's ``MANIFEST.sha256`` forgets the files removed from it, so the copy
    still checks out whole."""
    if not owners:
        return
    for root in roots:
        for manifest in root.rglob(MANIFEST) if root.is_dir() else ():
            lines = manifest.read_text().splitlines(keepends=True)
            kept = [line for line in lines if not owners & set(line.strip().split("/"))]
            if len(kept) != len(lines):
                manifest.write_text("".join(kept))


def preview(session: Session, plan: PurgePlan, settings: Any, client_id: str) -> dict[str, int]:
    """The dry run: per table the rows that would be removed or blanked, per file store
    the files that would go."""
    counts: dict[str, int] = {}
    for rule in plan.rules:
        table = plan.metadata.tables[rule.table]
        found = session.execute(
            select(func.count()).select_from(table).where(_rows(plan, rule, client_id))
        ).scalar_one()
        verb = "deleted" if isinstance(rule, Delete) else "blanked"
        key = f"{rule.table} ({verb})"
        counts[key] = counts.get(key, 0) + int(found)
    for files in plan.files:
        folders = _owned_folders(files.roots(settings), _owners(session, plan, files, client_id))
        counts[f"files: {files.kind}"] = sum(_files_in(f) for f in folders)
    return counts


def apply(session: Session, plan: PurgePlan, settings: Any, client_id: str) -> dict[str, int]:
    """Remove the client's part; returns what went, shaped as :func:`preview`'s answer.
    Files go first: if the transaction then fails, a re-delivered order finishes the rows.
    On SQLite the freed pages are overwritten too (``secure_delete`` for this work)."""
    sqlite = session.get_bind().dialect.name == "sqlite" if session is not None else False
    if sqlite:
        was = session.execute(text("PRAGMA secure_delete")).scalar_one()
        session.execute(text("PRAGMA secure_delete=ON"))
    try:
        return _apply(session, plan, settings, client_id)
    finally:
        if sqlite:
            session.execute(text(f"PRAGMA secure_delete={int(was)}"))


def _apply(session: Session, plan: PurgePlan, settings: Any, client_id: str) -> dict[str, int]:
    removed: dict[str, int] = {}
    for files in plan.files:
        folders = _owned_folders(files.roots(settings), _owners(session, plan, files, client_id))
        gone = 0
        for folder in folders:
            gone += _files_in(folder)
            shutil.rmtree(folder, ignore_errors=True)
        removed[f"files: {files.kind}"] = gone
        _drop_from_manifests(files.roots(settings), {f.name for f in folders})
    for rule in plan.rules:
        table = plan.metadata.tables[rule.table]
        where = _rows(plan, rule, client_id)
        if isinstance(rule, Delete):
            result = session.execute(table.delete().where(where))
            key = f"{rule.table} (deleted)"
        else:
            values: dict[str, Any] = {c: _blank_value(table, c) for c in rule.columns}
            values.update({c: table.c[rule.id_column] for c in rule.to_id})
            values.update(dict(rule.fixed))
            result = session.execute(table.update().where(where).values(**values))
            key = f"{rule.table} (blanked)"
        removed[key] = removed.get(key, 0) + affected(result)
    return removed


def bus_rules() -> tuple[Rule, ...]:
    """What every service's bus tables hold of a client's cases: sent events' bodies in the
    outbox (kept for re-publishing after a broker loss) and dead letters' bytes."""
    return (
        Delete("outbox", ByCase("message_key"), published_only=True),
        Delete("dead_letters", ByCase("message_key")),
        Delete("case_visibility", ByCase("case_id")),
    )
