"""Every character of a letter must be printed as itself: a name the fonts cannot draw
would come out as an empty box, a wrong name on a legal document."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Unprintable:
    char: str
    where: str

    def __str__(self) -> str:
        name = unicodedata.name(self.char, "unnamed")
        return f"{self.char!r} (U+{ord(self.char):04X} {name}) in {self.where}"


def _texts(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _texts(inner, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list | tuple):
        for n, inner in enumerate(value):
            yield from _texts(inner, f"{where}[{n}]")


def unprintable(content: Any, covers: Callable[[int], bool]) -> list[Unprintable]:
    """The characters of ``content`` (a letter's data) that no font covers, first place
    each is found; white space and control characters need no glyph."""
    first: dict[str, str] = {}
    for where, text in _texts(content, ""):
        for char in dict.fromkeys(text):
            first.setdefault(char, where)
    return [
        Unprintable(char, where)
        for char, where in first.items()
        if not (char.isspace() or unicodedata.category(char) == "Cc" or covers(ord(char)))
    ]
