"""The case route moved to ``services.contact.cases.api``; this name stays until main.py
imports it from there (main.py's wiring is not this branch's)."""

from services.contact.cases.api import router

__all__ = ["router"]
