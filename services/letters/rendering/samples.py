"""A sample of each letter type, rendered from made-up data (``make letter-samples``):
docs/letters/<kind>.pdf and a PNG of its first page. The debtor's name has a character of
CJK Extension B (U+20000), printed by the rare-character font, and every letter carries
the seal in its own place beside the signature."""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import typst

from services.letters.domain.content import CaseFacts, Sender, letter_content
from services.letters.domain.kinds import KINDS
from services.letters.rendering.fonts import font_dirs
from services.letters.rendering.renderer import Renderer
from services.letters.settings import LettersSettings

AS_OF = date(2026, 11, 23)
CASE = CaseFacts(
    client_id="DEMO-BANK",
    debtor_name="王𠀀明",
    account_ref="6222 **** **** 1081",
    total_owed=Decimal("12345.67"),
    overdue_since=date(2026, 10, 1),
    parts={"principal": Decimal("11000"), "interest": Decimal("1045.67"), "fees": Decimal("300")},
)
SENDER = Sender(
    name="示例银行信用卡中心",
    address="上海市浦东新区示例路 100 号",
    phone="021-5555 0100",
    dispute_phone="400-555-0199",
    email="service@example.cn",
    payment_account="示例银行 账号 3100 0000 0000 0001",
)
FIELDS: dict[str, dict[str, Any]] = {
    "overdue_notice": {},
    "demand_letter": {
        "contract_no": "HT-2026-0815",
        "contract_date": date(2026, 3, 1),
        "goods": "办公耗材",
        "supply_from": date(2026, 4, 1),
        "supply_to": date(2026, 6, 30),
        "invoiced_total": Decimal("48000"),
    },
    "payment_reminder_fax": {
        "to_fax": "010-6666 1234",
        "from_fax": "021-5555 0101",
        "our_contract_no": "HT-2026-0815",
        "their_contract_no": "CG-0042",
        "payable": Decimal("48000"),
        "paid": Decimal("35654.33"),
        "object_by": date(2026, 12, 3),
    },
    "penalty_notice": {
        "amount_due": Decimal("12345.67"),
        "due_on": date(2026, 10, 1),
        "penalty_from": date(2026, 10, 2),
        "daily_rate": Decimal("0.0004"),
        "pay_by": date(2026, 12, 10),
    },
    "document_reminder": {
        "documents": ["身份证复印件", "收入证明"],
        "submit_by": date(2026, 12, 7),
    },
    "termination_notice": {
        "contract_no": "GF-2025-0301",
        "reason": "您连续三期未按约付款",
        "settle_by": date(2026, 12, 31),
        "property_address": "上海市示例小区 5 号楼 1201 室",
    },
    "final_notice": {"contract_no": "GF-2025-0301"},
    "statement": {
        "lines": [
            {"period": "FP-0001（2026年8月）", "amount": Decimal("6000")},
            {"period": "FP-0002（2026年9月）", "amount": Decimal("6345.67")},
        ]
    },
    "guarantor_notice": {
        "guarantor_name": "李保证",
        "guarantor_address": "上海市示例路 8 号",
        "guarantee_contract_no": "BZ-2025-77",
    },
    "lawyer_letter": {"law_firm": "示例律师事务所", "lawyer": "赵律"},
}


SEAL = """#set page(width: 4cm, height: 4cm, margin: 0pt, fill: none)
#set text(font: "Noto Serif SC", fill: rgb("#c8102e"))
#align(center + horizon, circle(radius: 1.8cm, stroke: 2.5pt + rgb("#c8102e"),
  align(center + horizon, text(size: 30pt)[★] + v(-0.6em) + text(size: 9pt)[示例银行样章])))
"""


def sample_seal(fonts: list[Path]) -> bytes:
    """A made-up round seal (the real one is each client's upload)."""
    return bytes(
        typst.compile(  # type: ignore[call-overload]  # the stub binds source and folders to one type
            SEAL.encode(), format="png", ppi=120, font_paths=[str(f) for f in fonts]
        )
    )


def render_samples(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    fonts = font_dirs(LettersSettings().font_cache_dir)
    with tempfile.TemporaryDirectory() as work:
        renderer = Renderer(Path(work), fonts)
        seal = renderer.seal_path("0" * 64, sample_seal(fonts))
        for code, kind in KINDS.items():
            fields = kind.fields.model_validate(FIELDS[code]).model_dump()
            party = kind.party
            name = fields.get("guarantor_name") or CASE.debtor_name
            data = letter_content(
                kind=kind,
                fields=fields,
                case=CASE,
                sender=SENDER,
                recipient={"party": party, "name": name, "address": "上海市示例路 8 号"},
                reference=f"SAMPLE-{code}",
                as_of=AS_OF,
                daily_rate=Decimal("0.0004"),
                seal=seal,
            )
            missing = renderer.unprintable(data)
            if missing:
                raise SystemExit(f"{code}: cannot print {'; '.join(map(str, missing))}")
            for fmt in ("pdf", "png"):
                target = out / f"{code}.{fmt}"
                target.write_bytes(renderer.render(kind.template, data, fmt))
                written.append(target)
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/letters"))
    for path in render_samples(parser.parse_args().out):
        print(path)
