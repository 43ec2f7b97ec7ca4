"""Reading issued letters back: their text, where each character and image sits, and
opaque seal images of any shape to upload."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass

import pdfplumber
import pypdf


def pdf_text(pdf: bytes) -> str:
    """The extracted text without white space (line breaks and letter spacing split words)."""
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return "".join(text.split())


@dataclass(frozen=True)
class Box:
    x0: float
    top: float
    x1: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x0 < other.x1
            and other.x0 < self.x1
            and self.top < other.bottom
            and other.top < self.bottom
        )


def layout(pdf: bytes) -> list[tuple[list[tuple[str, Box]], list[Box]]]:
    """Per page: each character with its box, and each image's box."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            chars = [
                (c["text"], Box(c["x0"], c["top"], c["x1"], c["bottom"]))
                for c in page.chars
                if c["text"].strip()
            ]
            images = [Box(i["x0"], i["top"], i["x1"], i["bottom"]) for i in page.images]
            pages.append((chars, images))
    return pages


def opaque_png(width: int, height: int) -> bytes:
    """A solid red picture: whatever it lands on is hidden."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xd0\x10\x10" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
