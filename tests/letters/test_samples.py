"""Every letter type renders (the docs samples): its title, the debtor or guarantor, the
amounts in capital numerals, and what the type must say, as extractable text."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf

from services.letters.domain.kinds import KINDS
from services.letters.rendering.samples import render_samples

from .pdf_kit import layout

MUST_SAY = {
    "overdue_notice": ["王𠀀明（债务人）", "壹万贰仟叁佰肆拾伍元陆角柒分", "已逾期53天", "征信"],
    "demand_letter": ["HT-2026-0815", "肆万捌仟元整", "3日（工作日）"],
    "payment_reminder_fax": [
        "021-55550101",
        "壹万贰仟叁佰肆拾伍元陆角柒分",
        "2026年12月3日前以书面形式回复",
    ],
    "penalty_notice": ["256.79", "贰佰伍拾陆元柒角玖分", "4.94", "0.04%", "次日起算"],
    "document_reminder": ["身份证复印件", "收入证明", "2026年12月7日"],
    "termination_notice": ["GF-2025-0301", "退房申请书", "申请人签字"],
    "final_notice": ["挂号信", "10日（自然日）", "寄出之日加三日"],
    "statement": ["FP-0002", "签字盖章寄回", "壹万贰仟叁佰肆拾伍元陆角柒分"],
    "guarantor_notice": ["李保证（保证人）", "BZ-2025-77", "EMS"],
    "lawyer_letter": ["示例律师事务所", "赵律", "7日（自然日）"],
}


def test_every_kind_renders_what_it_must_say(tmp_path: Path) -> None:
    written = render_samples(tmp_path)
    assert {p.name for p in written} == {f"{k}.{x}" for k in KINDS for x in ("pdf", "png")}
    for code, kind in KINDS.items():
        pdf = (tmp_path / f"{code}.pdf").read_bytes()
        text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
        text = "".join(text.split())
        for phrase in [kind.title, "示例银行信用卡中心", "400-555-0199", *MUST_SAY[code]]:
            assert phrase in text, (code, phrase)
        for chars, images in layout(pdf):
            hidden = [c for c, box in chars for image in images if image.overlaps(box)]
            assert hidden == [], (code, "the seal covers", "".join(hidden))
        assert sum(len(images) for _, images in layout(pdf)) == 1, (code, "one seal")
        assert (tmp_path / f"{code}.png").read_bytes().startswith(b"\x89PNG")


def test_without_the_quick_font_letters_still_render_in_the_full_one(tmp_path: Path) -> None:
    from datetime import date
    from decimal import Decimal

    from services.letters.domain.content import letter_content
    from services.letters.rendering.fonts import FULL, RARE, font_dirs
    from services.letters.rendering.renderer import Renderer
    from services.letters.rendering.samples import CASE, SENDER

    fonts = font_dirs(Path("/proc/no-such-folder/fonts"))
    assert fonts == [FULL, RARE]
    kind = KINDS["overdue_notice"]
    data = letter_content(
        kind=kind,
        fields={},
        case=CASE,
        sender=SENDER,
        recipient={"party": "debtor", "name": "王堃", "address": None},
        reference="R-1",
        as_of=date(2026, 11, 23),
        daily_rate=Decimal("0.0004"),
    )
    pdf = Renderer(tmp_path, fonts).render(kind.template, data)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert "王堃" in reader.pages[0].extract_text()
    (font,) = [f.get_object()["/BaseFont"] for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert font.endswith("NotoSerifSC-Regular-Identity-H")
