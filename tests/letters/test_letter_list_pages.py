"""A case's letters come in keyset pages, newest first, like every other list."""

from __future__ import annotations

from tests.letters.conftest import Desk


def test_a_cases_letters_page_newest_first(desk: Desk) -> None:
    issued = [desk.issue("overdue_notice")["id"] for _ in range(3)]
    first = desk.get("/letters?limit=2").json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = desk.get(f"/letters?limit=2&after={first['next_cursor']}").json()
    assert rest["next_cursor"] is None
    listed = [x["id"] for x in first["items"] + rest["items"]]
    assert sorted(listed) == sorted(issued)
    whole = desk.get("/letters").json()["items"]
    assert [x["id"] for x in whole] == listed
    times = [x["issued_at"] for x in whole]
    assert times == sorted(times, reverse=True)
