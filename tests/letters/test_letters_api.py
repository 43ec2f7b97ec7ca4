"""One letter's life through the API: issued (PDF kept by hash, text extractable),
dispatched, delivered with its deadline, proof uploaded, evidence pack downloaded; and who
may see it."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pypdf

from tests.conftest import FIXED_NOW
from tests.service_desk import COLLECTOR_A

from .conftest import ADMIN, BANK_A, BANK_B, COLLECTOR_B, SUPERVISOR_T1, Desk
from .pdf_kit import pdf_text

HOSTILE = '王堃]#panic("x") #read("/etc/passwd") $x$ *粗*'


def embedded_fonts(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                names.append(str(descriptor["/FontName"]))
    return names


def test_issue_keeps_the_exact_pdf_with_its_hash_and_announces_it(desk: Desk) -> None:
    letter = desk.issue("overdue_notice")
    pdf = desk.get(f"/letters/{letter['id']}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == letter["content_sha256"]
    assert len(pdf.content) == letter["size_bytes"]
    (event,) = desk.events("LetterIssued")
    assert event.letter_id == letter["id"] and event.content_sha256 == letter["content_sha256"]
    text = pdf_text(pdf.content)
    assert "张三" in text and "壹仟贰佰元伍角" in text and "逾期催收函" in text
    assert "已逾期13天" in text and "400-555-0199" in text
    fonts = embedded_fonts(pdf.content)
    assert fonts and all("+" in name and "Noto" in name for name in fonts), fonts  # subset tags
    again = desk.issue("overdue_notice")
    assert again["id"] != letter["id"], "a re-render is a new letter"


def test_a_hostile_name_is_printed_not_run(desk: Desk) -> None:
    letter = desk.issue("guarantor_notice", fields={"guarantor_name": HOSTILE})
    text = pdf_text(desk.get(f"/letters/{letter['id']}/pdf").content)
    assert '王堃]#panic("x")#read("/etc/passwd")$x$*粗*' in text


def test_penalty_notice_shows_the_worked_penalty(desk: Desk) -> None:
    fields = {
        "amount_due": "12345.67",
        "due_on": "2026-10-01",
        "penalty_from": "2026-10-02",
        "daily_rate": "0.0004",
        "pay_by": "2026-12-10",
    }
    letter = desk.issue("penalty_notice", fields=fields, yuan="圆")
    text = pdf_text(desk.get(f"/letters/{letter['id']}/pdf").content)
    assert "256.79" in text and "贰佰伍拾陆圆柒角玖分" in text and "4.94" in text


def test_bad_fields_and_unknown_kinds_are_refused_with_where(desk: Desk) -> None:
    bad = desk.post("/letters", {"kind": "demand_letter", "fields": {"contract_no": "X"}})
    assert bad.status_code == 422 and "fields.contract_date" in bad.json()["detail"]
    assert desk.post("/letters", {"kind": "love_letter"}).status_code == 422


def test_dispatch_delivery_deadline_and_evidence_pack(desk: Desk) -> None:
    letter = desk.issue("final_notice")
    base = f"/letters/{letter['id']}"
    early = desk.post(f"{base}/delivery", {"outcome": "signed", "outcome_on": "2026-11-25"})
    assert early.status_code == 409, "no delivery before dispatch"
    sent = desk.post(
        f"{base}/dispatch",
        {
            "channel": "registered_mail",
            "carrier": "中国邮政",
            "tracking_number": "XA123456789CN",
            "mailed_on": "2026-11-23",
        },
    )
    assert sent.status_code == 201, sent.text
    desk.clock.advance(days=3)
    refused = desk.post(
        f"{base}/delivery",
        {"outcome": "refused", "outcome_on": "2026-11-26", "recipient_fault": True},
    )
    assert refused.status_code == 201, refused.text
    delivery = refused.json()["delivery"]
    assert delivery["deadline_from"] == "2026-11-26"  # mailed 23 Nov + 3
    assert delivery["deadline_on"] == "2026-12-07"  # 6 Dec is a Sunday
    (delivered,) = desk.events("LetterDelivered")
    assert delivered.outcome == "refused" and str(delivered.deadline_on) == "2026-12-07"
    (dispatched,) = desk.events("LetterDispatched")
    assert dispatched.tracking_number == "XA123456789CN"

    stub = b"%PDF-1.4 stub scan"
    up = desk.client.post(
        f"/cases/{desk.case_id}{base}/evidence",
        data={"kind": "mailing_stub"},
        files={"file": ("stub.pdf", stub, "application/pdf")},
        headers=desk.as_(SUPERVISOR_T1),
    )
    assert up.status_code == 201, up.text
    pack = desk.get(f"{base}/evidence.zip", who=BANK_A)
    assert pack.status_code == 200
    with zipfile.ZipFile(io.BytesIO(pack.content)) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("manifest.json"))
        assert {
            "letter.pdf",
            "letter.pdf.sha256",
            "dispatch.json",
            "delivery.json",
            "proof/01-mailing_stub.pdf",
        } <= names
        assert hashlib.sha256(z.read("letter.pdf")).hexdigest() == letter["content_sha256"]
        assert z.read("proof/01-mailing_stub.pdf") == stub
        assert manifest["proof/01-mailing_stub.pdf"] == hashlib.sha256(stub).hexdigest()
        assert json.loads(z.read("dispatch.json"))["tracking_number"] == "XA123456789CN"
    limitation = desk.get("/limitation").json()
    assert [(s["fact"], s["on"]) for s in limitation["history"]][-1] == (
        "demand_delivered",
        "2026-11-26",
    )
    assert limitation["ends_on"] == "2029-11-26"


def test_acknowledgment_after_expiry_reconfirms(desk: Desk) -> None:
    letter = desk.issue("statement", fields={"lines": [{"period": "2023", "amount": "100"}]})
    desk.clock.now = FIXED_NOW.replace(year=2030, month=1, day=20)
    ack = desk.client.post(
        f"/cases/{desk.case_id}/letters/{letter['id']}/evidence",
        data={"kind": "acknowledgment", "signed_on": "2030-01-15"},
        files={"file": ("signed.jpg", b"\xff\xd8\xffscan", "image/jpeg")},
        headers=desk.as_(ADMIN),
    )
    assert ack.status_code == 201, ack.text
    limitation = desk.get("/limitation").json()
    assert [s["effect"] for s in limitation["history"]] == ["started", "reconfirmed"]
    assert limitation["ends_on"] == "2033-01-15"


def test_who_may_see_and_work_letters(desk: Desk) -> None:
    letter = desk.issue()
    path = f"/letters/{letter['id']}"
    assert desk.get(path, who=COLLECTOR_B).status_code == 404
    assert desk.get(path, who=SUPERVISOR_T1).status_code == 200
    assert desk.get(path, who=BANK_A).status_code == 200
    assert desk.get(f"{path}/pdf", who=BANK_A).status_code == 200
    picture = desk.get(f"{path}/preview.png", who=BANK_A)
    assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG")
    assert desk.get(path, who=BANK_B).status_code == 404
    assert desk.post("/letters", {"kind": "overdue_notice"}, who=BANK_A).status_code == 403
    assert desk.post("/letters", {"kind": "overdue_notice"}, who=COLLECTOR_B).status_code == 404
    assert (
        desk.client.put(
            "/clients/BANK-A/letterhead", json={}, headers=desk.as_(SUPERVISOR_T1)
        ).status_code
        == 403
    )


def test_without_a_letterhead_nothing_is_issued(make_desk) -> None:
    desk = make_desk(letterhead=False)
    refused = desk.post("/letters", {"kind": "overdue_notice"})
    assert (
        refused.status_code == 409 and "PUT /clients/BANK-A/letterhead" in refused.json()["detail"]
    )


def test_seal_and_preview(desk: Desk) -> None:
    png = _tiny_png()
    sealed = desk.client.put(
        "/clients/BANK-A/letterhead/seal",
        files={"file": ("seal.png", png, "image/png")},
        headers=desk.as_(ADMIN),
    )
    assert (
        sealed.status_code == 200
        and sealed.json()["seal_sha256"] == hashlib.sha256(png).hexdigest()
    )
    preview = desk.post("/letters/preview", {"kind": "overdue_notice"})
    assert preview.status_code == 200 and preview.content.startswith(b"\x89PNG")
    assert desk.events("LetterIssued") == [], "a preview is not a letter"
    letter = desk.issue()
    pdf = desk.get(f"/letters/{letter['id']}/pdf").content
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf


def test_batch_issues_to_the_cases_the_caller_may_see(desk: Desk) -> None:
    from .conftest import new_case

    other = new_case(desk)
    made = desk.client.post(
        "/letters/batches",
        json={"kind": "overdue_notice", "case_ids": [desk.case_id, other, "nope"]},
        headers=desk.as_(SUPERVISOR_T1),
    )
    assert made.status_code == 201, made.text
    assert set(made.json()["issued"]) == {desk.case_id, other}
    assert made.json()["skipped"] == {"nope": "case not found"}
    assert len(desk.events("LetterIssued")) == 2


def test_cases_within_90_days_of_the_limitation_end(desk: Desk) -> None:
    desk.clock.now = FIXED_NOW.replace(year=2029, month=9, day=1)  # ends 2029-11-10
    ending = desk.client.get("/limitation/ending", headers=desk.as_(SUPERVISOR_T1)).json()
    assert [(c["case_id"], c["days_left"]) for c in ending] == [(desk.case_id, 70)]
    assert desk.client.get("/limitation/ending", headers=desk.as_(COLLECTOR_B)).json() == []
    assert (
        desk.client.get("/limitation/ending?within_days=30", headers=desk.as_(ADMIN)).json() == []
    )


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00\xff" * 8 for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_the_ending_list_follows_a_reassignment(desk: Desk) -> None:
    from tests.events_kit import case_reassigned

    from .conftest import COLLECTOR_A

    desk.dispatch(
        case_reassigned(FIXED_NOW, desk.case_id, COLLECTOR_A.subject, COLLECTOR_B.subject)
    )
    desk.clock.now = FIXED_NOW.replace(year=2029, month=9, day=1)
    mine = desk.client.get("/limitation/ending", headers=desk.as_(COLLECTOR_B)).json()
    assert [c["collector_id"] for c in mine] == [COLLECTOR_B.subject]
    assert desk.client.get("/limitation/ending", headers=desk.as_(COLLECTOR_A)).json() == []


def test_a_bank_sees_its_letters_without_staff_identifiers(desk: Desk) -> None:
    letter = desk.issue("final_notice")
    base = f"/letters/{letter['id']}"
    mailed = {"channel": "registered_mail", "carrier": "中国邮政", "tracking_number": "XA1"}
    mailed["mailed_on"] = "2026-11-23"
    assert desk.post(f"{base}/dispatch", mailed, who=SUPERVISOR_T1).status_code == 201
    staff_ids = {COLLECTOR_A.subject, SUPERVISOR_T1.subject}
    staff_view = desk.get(base).json()
    assert staff_view["issued_by"] == COLLECTOR_A.subject
    assert staff_view["dispatch"]["recorded_by"] == SUPERVISOR_T1.subject

    seen = desk.get(base, who=BANK_A).json()
    assert seen["issued_by"] is None and "recorded_by" not in seen["dispatch"]
    assert seen["dispatch"]["tracking_number"] == "XA1"
    answers = [desk.get(base, who=BANK_A).text, desk.get("/letters", who=BANK_A).text]
    answers.append(desk.client.get(f"/cases/{desk.case_id}", headers=desk.as_(BANK_A)).text)
    with zipfile.ZipFile(io.BytesIO(desk.get(f"{base}/evidence.zip", who=BANK_A).content)) as z:
        answers += [z.read(name).decode() for name in z.namelist() if name.endswith(".json")]
    assert [a for a in answers if any(s in a for s in staff_ids)] == []
