"""OPTIONS says which methods a path takes, and a 405 names the same ones."""

from __future__ import annotations


def _allow(answer) -> set[str]:
    return {m.strip() for m in answer.headers["allow"].split(",")}


def test_options_answers_every_method_of_the_path(assignment) -> None:
    one = assignment.options("/rules/some-rule")
    assert one.status_code == 204 and one.content == b""
    assert _allow(one) == {"PUT", "DELETE", "OPTIONS"}
    assert _allow(assignment.options("/rules")) == {"GET", "HEAD", "POST", "OPTIONS"}
    assert _allow(assignment.options("/health")) == {"GET", "HEAD", "OPTIONS"}
    assert assignment.options("/no-such-path").status_code == 404


def test_a_method_the_path_does_not_take_is_405_with_the_same_allow(assignment) -> None:
    refused = assignment.patch("/rules/some-rule", json={})
    assert refused.status_code == 405
    assert _allow(refused) == {"PUT", "DELETE", "OPTIONS"}
