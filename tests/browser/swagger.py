"""Drives a service's Swagger UI page the way a person does: Authorize, Try it out, Execute."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, expect

RENDER_TIMEOUT_MS = 30_000
CALL_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Answer:
    """What the page shows under "Server response" after Execute."""

    status: int
    body: str


def open_docs(page: Page, base_url: str) -> None:
    """Open /docs and wait until Swagger UI has drawn its operations (or its error)."""
    page.goto(f"{base_url}/docs")
    page.wait_for_selector(".opblock, .version-pragma, .errors-wrapper", timeout=RENDER_TIMEOUT_MS)


def _auth_section(page: Page, heading: str) -> Locator:
    return page.locator(".auth-container").filter(has=page.locator("h4", has_text=heading))


def sign_in(page: Page, username: str, password: str) -> None:
    """Authorize → staff username and password → Authorize → Close."""
    page.locator(".auth-wrapper button.authorize").click()
    staff = _auth_section(page, "staffToken")
    staff.locator("#oauth_username").fill(username)
    staff.locator("#oauth_password").fill(password)
    staff.locator("button.authorize").click()
    # Signed in, the section offers Logout; a refusal shows the error under the form.
    staff.locator("button.authorize:has-text('Logout'), .errors").first.wait_for(
        timeout=CALL_TIMEOUT_MS
    )
    errors = staff.locator(".errors")
    if errors.count():
        raise AssertionError(f"sign-in refused: {errors.inner_text()}")
    staff.locator("button.btn-done").click()


def use_api_key(page: Page, key: str) -> None:
    """Authorize → the bank's key in bankKey → Authorize → Close."""
    page.locator(".auth-wrapper button.authorize").click()
    bank = _auth_section(page, "bankKey")
    bank.locator("input#api_key_value").fill(key)
    bank.locator("button.authorize").click()
    bank.locator("button:has-text('Logout')").wait_for(timeout=CALL_TIMEOUT_MS)
    bank.locator("button.btn-done").click()


def operation(page: Page, operation_id: str) -> Locator:
    """The operation's block (under its first tag)."""
    return page.locator(f'.opblock[id$="-{operation_id}"]').first


def try_it_out(page: Page, operation_id: str, **params: str) -> Answer:
    """Expand the operation, Try it out, fill its parameters, Execute; what the page shows.

    Waits for the call's network answer, then for the page to show that status, so calling
    it again on the same operation reads the new answer, not the last one.
    """
    block = operation(page, operation_id)
    if "is-open" not in (block.get_attribute("class") or "").split():
        block.locator(".opblock-summary").click()
    toggle = block.locator("button.try-out__btn")
    toggle.wait_for()  # the body renders after the click; then "Try it out" or "Cancel"
    if "cancel" not in (toggle.get_attribute("class") or "").split():
        toggle.click()
    block.locator("button.execute").wait_for()
    for name, value in params.items():
        block.locator(f'tr[data-param-name="{name}"] input').fill(value)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    with page.expect_response(
        lambda r: r.url.startswith(origin) and r.request.resource_type in ("fetch", "xhr"),
        timeout=CALL_TIMEOUT_MS,
    ) as answered:
        block.locator("button.execute").click()
    status = answered.value.status
    live = block.locator(".live-responses-table tbody tr.response").first
    expect(live.locator(".response-col_status")).to_contain_text(str(status))
    live.scroll_into_view_if_needed()
    return Answer(status, live.locator(".response-col_description pre").first.inner_text())
