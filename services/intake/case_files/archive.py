"""Raw case files kept byte-exact, in two places (the branch copy and the HQ copy)."""

from __future__ import annotations

from typing import Any

from shared.filestore import TwoCopyStore

CASE_FILES = "case-files"


def archive_of(runtime: Any) -> TwoCopyStore:
    """The service's two archive locations, from its settings."""
    return TwoCopyStore(*runtime.settings.archive_dirs, kind=CASE_FILES)
