"""The late-entries route moved to ``services.contact.attempts.api``; this name stays until
main.py imports it from there (main.py's wiring is not this branch's)."""

from services.contact.attempts.api import late_entry_routes as router

__all__ = ["router"]
