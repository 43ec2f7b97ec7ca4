"""A feature of assignment reaches another through its service (and the vocabulary of its
schemas and domain), never its store, models or other internals. Approvals and handover
hold to it; the crossings listed in KNOWN are older and waiting to be turned round."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "services" / "assignment"
PACKAGE = "services.assignment"
PUBLIC = frozenset({"service", "schemas", "domain"})
KNOWN = frozenset(
    {
        ("agencies/effects.py", "placing.by_hand"),
        ("agencies/service.py", "placing.by_hand"),
        ("closing/service.py", "blacklist.store"),
        ("incidents/service.py", "field_visits.models"),
        ("placing/store.py", "agencies.models"),
        ("placing/store.py", "closing.models"),
        ("workdays/service.py", "field_visits.models"),
    }
)
FEATURES = frozenset(p.parent.name for p in ROOT.glob("*/__init__.py"))


def _reached(tree: ast.Module) -> set[tuple[str, str]]:
    """(feature, module) for each ``services.assignment.<feature>.<module>`` imported."""
    reached: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[:2] == PACKAGE.split(".") and len(parts) >= 4 and parts[2] in FEATURES:
                reached.add((parts[2], parts[3]))
    return reached


def crossings() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in sorted(ROOT.glob("*/*.py")):
        feature = path.parent.name
        if feature not in FEATURES:
            continue
        for other, module in _reached(ast.parse(path.read_text(encoding="utf-8"))):
            if other != feature and module not in PUBLIC:
                found.add((f"{feature}/{path.name}", f"{other}.{module}"))
    return found


def test_features_reach_each_other_only_through_their_services() -> None:
    assert sorted(crossings() - KNOWN) == []


def test_approvals_and_handover_import_only_other_features_services() -> None:
    for feature in ("approvals", "handover"):
        for path in sorted((ROOT / feature).glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            reached = {(o, m) for o, m in _reached(tree) if o != feature}
            assert {m for _, m in reached} <= {"service", "schemas"}, (path.name, reached)
