"""Contact's routes call services or stores only: no route module builds or runs a query
(the house plan, #26). Checked on the source, so a query added to a route fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import services.contact

ROOT = Path(services.contact.__file__).parent
SESSION_READS = {"execute", "get", "scalar", "scalars", "query"}


def _route_modules() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if p.name == "api.py" or "APIRouter(" in p.read_text(encoding="utf-8")
    )


def _queries(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in {"select", "insert", "update", "delete"}:
            found.append(f"{path.name}:{node.lineno} {func.id}(")
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in SESSION_READS
            and isinstance(func.value, ast.Attribute | ast.Name)
            and (getattr(func.value, "attr", None) or getattr(func.value, "id", "")) == "session"
        ):
            found.append(f"{path.name}:{node.lineno} session.{func.attr}(")
    return found


def test_the_route_modules_are_found() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in _route_modules()}
    assert {"cases/api.py", "attempts/api.py", "promises/api.py", "rules/api.py"} <= names


def test_no_route_module_runs_a_query() -> None:
    offenders = [q for path in _route_modules() for q in _queries(path)]
    assert offenders == []
