"""The debtor's time zone from their address (never from the phone number's prefix), for
every service that judges a moment on the debtor's clock."""

from __future__ import annotations

from zoneinfo import ZoneInfo

# Places whose clocks differ from Beijing time, by a word their addresses contain.
_PLACES: tuple[tuple[str, str], ...] = (
    ("香港", "Asia/Hong_Kong"),
    ("hong kong", "Asia/Hong_Kong"),
    ("澳门", "Asia/Macau"),
    ("台湾", "Asia/Taipei"),
    ("新疆", "Asia/Urumqi"),
    ("乌鲁木齐", "Asia/Urumqi"),
    ("日本", "Asia/Tokyo"),
    ("新加坡", "Asia/Singapore"),
    ("singapore", "Asia/Singapore"),
    ("united kingdom", "Europe/London"),
    ("london", "Europe/London"),
    ("new york", "America/New_York"),
    ("chicago", "America/Chicago"),
    ("los angeles", "America/Los_Angeles"),
    ("san francisco", "America/Los_Angeles"),
)


def timezone_from_address(*addresses: str | None) -> str | None:
    """The IANA zone of the first address that names a known place; ``None`` when none
    does (the service then uses its default zone)."""
    for address in addresses:
        if not address:
            continue
        lowered = address.lower()
        for word, zone in _PLACES:
            if word in lowered:
                return zone
    return None


def zone(name: str | None, default: str) -> ZoneInfo:
    """The stored zone, else the service's default (an address that names no place)."""
    return ZoneInfo(name or default)
