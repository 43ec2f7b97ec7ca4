"""The staff list is keyset-paged like the work queue."""

from __future__ import annotations

from shared.auth.principal import Role
from tests.assignment.kit import add_member


def test_staff_come_in_pages_that_add_up_to_the_whole_list(assignment, as_role) -> None:
    admin = as_role(Role.ADMIN)
    added = [
        add_member(assignment, admin, f"collector{i}", Role.PHONE_COLLECTOR)["id"] for i in range(5)
    ]
    seen, after = [], None
    while True:
        params = {"limit": 2, **({"after": after} if after else {})}
        page = assignment.get("/staff", params=params, headers=admin).json()
        assert len(page["items"]) <= 2
        seen += [m["id"] for m in page["items"]]
        after = page["next_cursor"]
        if after is None:
            break
    whole = assignment.get("/staff?limit=200", headers=admin).json()
    assert whole["next_cursor"] is None
    assert seen == [m["id"] for m in whole["items"]], "pages add up to the whole list, in order"
    assert set(added) <= set(seen) and len(seen) == len(set(seen))
    unknown = assignment.get("/staff?after=bm9wZQ", headers=admin)  # "nope": no position
    assert unknown.status_code == 404, "the cursor's shape, but no page after it"
    assert assignment.get("/staff?after=bm9wZQ%3D%3D", headers=admin).status_code == 422
    collector = as_role(Role.PHONE_COLLECTOR)
    assert assignment.get("/staff", headers=collector).status_code == 403
