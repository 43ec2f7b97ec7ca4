"""Whether a number can be dialled at all: a mainland mobile or landline under the CN
plan, a number in international (E.164) form under the other profiles."""

from __future__ import annotations

import re

from services.contact.rules.profiles import NumberPlan

DIALLED_CHANNELS = frozenset({"phone", "sms", "fax"})
_SEPARATORS = re.compile(r"[\s\-()]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0(10|2\d|[3-9]\d{2})[2-9]\d{6,7}")
"""Area code (010, 02x or a three-digit 0xxx) and a 7- or 8-digit local number that does
not start with 0 or 1."""
_E164 = re.compile(r"\+[1-9]\d{6,14}")


def _mainland(digits: str) -> bool:
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            rest = digits[len(prefix) :]
            return bool(_MOBILE.fullmatch(rest) or _LANDLINE.fullmatch("0" + rest))
    return bool(_MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits))


def number_problem(number: str, plan: NumberPlan) -> str | None:
    """Why ``number`` cannot be dialled under ``plan``, or ``None`` if it can. Spaces,
    dashes and brackets are ignored; an extension is not part of the number."""
    digits = _SEPARATORS.sub("", number)
    if plan == "cn":
        if _mainland(digits):
            return None
        return f"{number!r} is not a mainland mobile (1xxxxxxxxxx) or landline (0area-number)"
    if _E164.fullmatch(digits):
        return None
    return f"{number!r} is not a number in international form (+country code and number)"
