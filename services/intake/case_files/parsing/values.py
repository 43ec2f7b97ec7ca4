"""Each value a bank sends, read by a small pure rule: text in, a value out or a
``ValueError`` whose message is written for the bank. Nothing reads the clock: the date
that "the future" starts after is a parameter."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from operator import mul

CNY = Decimal("0.01")
EARLIEST_DATE = date(1950, 1, 1)  # an overdue date before this is a data error
ACCOUNT_REF_LIMIT = 64


def _nfkc(text: str) -> str:
    """Full-width digits, letters, commas and ￥ become their ASCII forms."""
    return unicodedata.normalize("NFKC", text).strip()


# --- amounts --------------------------------------------------------------------------

_AMOUNT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_EXPONENT = re.compile(r"[\d.,]+[eE][+-]?\d+")
_CURRENCY = re.compile(r"^(?:¥|RMB|CNY)|元$", re.IGNORECASE)
# The shapes nearly every cell has: read at once, the general rules only for the rest.
_PLAIN_AMOUNT = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,2})?")  # ASCII only: no NFKC needed
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN_ID = re.compile(r"[0-9]{17}[0-9X]")
_PLAIN_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def parse_amount(text: str) -> Decimal:
    """CNY amount: ``1,234.56``, ``￥1234.5``, ``¥ 12``, ``12元``, full-width digits.
    Refused: negatives, exponent notation, misplaced thousands separators and more than
    two decimals (trailing zeros such as ``1.500`` are fine: the value is exact)."""
    if _PLAIN_AMOUNT.fullmatch(text):
        return Decimal(text).quantize(CNY)
    s = re.sub(r"\s+", "", _nfkc(text))
    s = _CURRENCY.sub("", s)
    negative = s.startswith(("-", "\u2212")) or (s.startswith("(") and s.endswith(")"))
    if negative:
        s = _CURRENCY.sub("", s.strip("-\u2212()"))
    if not s:
        raise ValueError("not an amount")
    if _EXPONENT.fullmatch(s):
        raise ValueError("exponent notation is not accepted: write the amount in full")
    match = _AMOUNT.fullmatch(s)
    if match is None:
        if "," in s and re.fullmatch(r"[\d,]+(\.\d+)?", s):
            raise ValueError("misplaced thousands separator")
        raise ValueError("not an amount")
    if negative:
        raise ValueError("amount is negative")
    if len((match.group(1) or "").rstrip("0")) > 2:
        raise ValueError("more than 2 decimal places (CNY has fen, not less)")
    return Decimal(s.replace(",", "")).quantize(CNY)


# --- dates ----------------------------------------------------------------------------

_DATE_SEPARATED = re.compile(
    r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_DATE_CHINESE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXCEL_SERIAL = re.compile(r"(\d{1,7})(?:\.\d+)?")


def excel_serial_date(serial: int) -> date:
    """Excel's 1900 date system, leap-year bug included: 1 = 1900-01-01, 60 is the
    non-existent 1900-02-29, and from 61 on the count is one day ahead (61 = 1900-03-01)."""
    if serial == 60:
        raise ValueError("Excel serial 60 is 1900-02-29, a day that does not exist")
    if not 1 <= serial <= 2958465:
        raise ValueError("not an Excel date serial number")
    base = date(1899, 12, 31) if serial < 60 else date(1899, 12, 30)
    return base + timedelta(days=serial)


def parse_date(text: str, *, today: date) -> date:
    """``2026-11-01``, ``2026/11/1``, ``2026.11.1``, ``20261101``, ``2026年11月1日`` (a
    time of day after the date is ignored) or an Excel serial number. Refused: dates after
    ``today`` (for a case file: its as-of date) and before 1950."""
    value = read_date(text)
    if value > today:
        raise ValueError(f"date {value} is in the future (as of {today})")
    return value


def read_date(text: str) -> date:
    """A date in any of :func:`parse_date`'s forms, not before 1950; no future check."""
    if _ISO_DATE.fullmatch(text):
        try:
            value = date.fromisoformat(text)
        except ValueError:
            pass  # the general rule names the problem
        else:
            if value >= EARLIEST_DATE:
                return value
    s = _nfkc(text)
    parts: tuple[str, str, str] | None = None
    if m := _DATE_SEPARATED.fullmatch(s):
        parts = (m.group(1), m.group(3), m.group(4))
    elif (m := _DATE_CHINESE.fullmatch(s)) or (m := _DATE_COMPACT.fullmatch(s)):
        parts = (m.group(1), m.group(2), m.group(3))
    if parts is not None:
        try:
            value = date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError as exc:
            raise ValueError("no such day in the calendar") from exc
    elif m := _EXCEL_SERIAL.fullmatch(s):
        value = excel_serial_date(int(m.group(1)))
    else:
        raise ValueError("not a date (use YYYY-MM-DD)")
    if value < EARLIEST_DATE:
        raise ValueError(f"date {value} is implausible (before {EARLIEST_DATE.year})")
    return value


def parse_days_past_due(text: str) -> int:
    """A non-negative whole number of days; ``35``, ``35天`` and full-width digits."""
    s = _nfkc(text).removesuffix("天").strip()
    if re.fullmatch(r"-\d+", s):
        raise ValueError("days past due cannot be negative")
    if not s.isdigit() or not s.isascii():
        raise ValueError("days past due must be a whole number of days")
    return int(s)


# --- identity numbers -----------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"
_ZERO_WEIGHT = ord("0") * sum(ID_WEIGHTS)
_OTHER_ID_TYPE = re.compile(r"护照|通行证|港|澳|台|军|外国|passport|permit", re.IGNORECASE)
_LEGACY_ID_TYPE = re.compile(r"15|一代|旧|legacy|old", re.IGNORECASE)
_RESIDENT_ID_TYPE = re.compile(r"身份证|居民|resident|^id( ?card)?$", re.IGNORECASE)
_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?E\+?\d+", re.IGNORECASE)


def id_check_digit(first17: str) -> str:
    """GB 11643-1999: weighted sum of the first 17 digits mod 11, mapped to 1 0 X 9 ... 2."""
    codes = first17.encode("ascii")  # digits as their codes: 48 + the digit
    if len(codes) != len(ID_WEIGHTS) or not codes.isdigit():
        raise ValueError(f"{len(ID_WEIGHTS)} digits are weighed, not {first17!r}")
    return ID_CHECK_CODES[(sum(map(mul, codes, ID_WEIGHTS)) - _ZERO_WEIGHT) % 11]


def id_type_kind(id_type: str | None) -> str:
    """``resident`` (18-digit ID: no type given, or one naming 身份证/居民/ID card),
    ``legacy`` (the first-generation 15-digit ID: a type naming 15/一代/旧) or ``other``
    (passports, HK/Macau/Taiwan permits, military and unknown types: only the number's
    shape is checked)."""
    text = _nfkc(id_type or "")
    if not text:
        return "resident"
    if _OTHER_ID_TYPE.search(text):
        return "other"
    if _LEGACY_ID_TYPE.search(text):
        return "legacy"
    return "resident" if _RESIDENT_ID_TYPE.search(text) else "other"


def _birth_date(digits: str, today: date) -> date:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError as exc:
        raise ValueError(f"the birth date {digits} inside the ID number is no real day") from exc
    if born > today:
        raise ValueError(f"the birth date {born} inside the ID number is in the future")
    if born.year < 1900:
        raise ValueError(f"the birth date {born} inside the ID number is implausible")
    return born


def parse_id_number(text: str, *, today: date, kind: str = "resident") -> str:
    """An 18-digit resident ID (check digit, birth date; lower-case x accepted, returned
    upper-case). A 15-digit number only when ``kind`` is ``legacy``; ``other`` documents
    need 4-40 letters or digits."""
    s = text if _PLAIN_ID.fullmatch(text) else re.sub(r"\s+", "", _nfkc(text)).upper()
    if _SCIENTIFIC.fullmatch(s):
        raise ValueError("the ID number was turned into scientific notation by Excel: "
                         "format the column as text")  # fmt: skip
    if kind == "other":
        if not re.fullmatch(r"[0-9A-Z()\-]{4,40}", s):
            raise ValueError("not a document number (4-40 letters or digits)")
        return s
    if re.fullmatch(r"\d{15}", s):
        if kind != "legacy":
            raise ValueError(
                "a 15-digit first-generation ID number is accepted only when the ID type "
                "says so (e.g. 一代身份证 / 15位身份证)"
            )
        _birth_date("19" + s[6:12], today)
        return s
    if not re.fullmatch(r"\d{17}[\dX]", s):
        raise ValueError("not an 18-digit resident ID number")
    _birth_date(s[6:14], today)
    if id_check_digit(s[:17]) != s[17]:
        raise ValueError(f"wrong check digit: expected {id_check_digit(s[:17])}")
    return s


# --- phones ---------------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[,;/、|]+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_EXTENSION = re.compile(r"(?:转|ext\.?|x|#)(\d{1,6})$", re.IGNORECASE)


def split_phones(text: str) -> list[str]:
    """One cell may list several numbers, separated by , ; / 、 or |."""
    return [p.strip() for p in _PHONE_SEPARATORS.split(_nfkc(text)) if p.strip()]


def parse_phone(text: str, *, mobile_only: bool = False) -> str:
    """A mainland mobile ``1[3-9]`` + 9 digits (``+86``/``0086``/``86`` prefix, spaces and
    hyphens dropped) -> ``13812345678``; unless ``mobile_only``, a landline with its area
    code (``010-12345678``, ``(0755)1234567``, extension after 转/ext/#) ->
    ``010-12345678[-ext]``, the area code being 3 digits for 01x/02x and 4 otherwise."""
    if _PLAIN_MOBILE.fullmatch(text):
        return text
    s = _nfkc(text)
    extension = ""
    if m := _EXTENSION.search(s):
        extension, s = m.group(1), s[: m.start()]
    digits = re.sub(r"[\s\-()]", "", s)
    international = digits.startswith(("+86", "0086"))
    digits = digits.removeprefix("+86").removeprefix("0086")
    if len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        digits = digits[2:]
    if not digits.isdigit() or not digits.isascii():
        raise ValueError("not a phone number")
    if _MOBILE.fullmatch(digits) and not extension:
        return digits
    if mobile_only:
        raise ValueError("not a mainland mobile number (11 digits starting 13-19)")
    if international and not digits.startswith("0"):
        digits = "0" + digits
    if not digits.startswith("0"):
        raise ValueError("not a mainland mobile number, nor a landline with its area code")
    area_length = 3 if digits[1] in "12" else 4
    area, local = digits[:area_length], digits[area_length:]
    if not re.fullmatch(r"[1-9]\d{6,7}", local):
        raise ValueError("not a landline number (area code + 7 or 8 digits)")
    return f"{area}-{local}" + (f"-{extension}" if extension else "")


def parse_account_ref(text: str) -> str:
    """The bank's account/card/contract reference, as sent (trimmed)."""
    if _SCIENTIFIC.fullmatch(text):
        raise ValueError("the reference was turned into scientific notation by Excel: "
                         "format the column as text")  # fmt: skip
    if len(text) > ACCOUNT_REF_LIMIT or not text.isprintable():
        raise ValueError(f"not a reference (printable, at most {ACCOUNT_REF_LIMIT} characters)")
    return text
