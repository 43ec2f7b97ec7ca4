"""OpenAPI docs served with no internet: Swagger UI and ReDoc assets come from the service.

The assets are the ones `fastapi-offline` ships (Swagger UI 5, ReDoc 2): they read the
OpenAPI 3.1 documents FastAPI writes, which the Swagger UI 3 of `swagger-ui-bundle` could
not. The routes are our own, so they declare their access like every other route.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from shared.auth.web import PUBLIC

ASSETS = "/docs-assets"
ASSET_DIR = str(files("fastapi_offline") / "static")
SWAGGER_JS = f"{ASSETS}/swagger-ui-bundle.js"
SWAGGER_CSS = f"{ASSETS}/swagger-ui.css"
REDOC_JS = f"{ASSETS}/redoc.standalone.js"
FAVICON = f"{ASSETS}/favicon.png"

# Authorize stays signed in across reloads of a page (localStorage, per service origin).
SWAGGER_PARAMETERS: dict[str, Any] = {
    "persistAuthorization": True,
    "displayRequestDuration": True,
    "docExpansion": "list",
    "filter": True,
}


def content_policy(token_url: str) -> str:
    """Nothing loads or connects beyond this service, bar the sign-in at ``token_url``.

    This is what keeps the pages offline for sure: ReDoc, for one, links an image on a CDN.
    Both UIs boot from an inline script, hence 'unsafe-inline' for scripts and styles.
    """
    parts = urlsplit(token_url)
    sign_in = f" {parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "worker-src 'self' blob:",
            f"connect-src 'self'{sign_in}",
        )
    )


def install_offline_docs(app: FastAPI, token_url: str) -> None:
    """Swagger UI at /docs and ReDoc at /redoc, both public, assets under /docs-assets."""
    app.mount(ASSETS, StaticFiles(directory=ASSET_DIR), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"
    policy = {"Content-Security-Policy": content_policy(token_url)}

    @app.get("/docs", include_in_schema=False, dependencies=[PUBLIC])
    async def swagger_ui() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} — API",
            swagger_js_url=SWAGGER_JS,
            swagger_css_url=SWAGGER_CSS,
            swagger_favicon_url=FAVICON,
            oauth2_redirect_url=None,  # the password flow never redirects
            swagger_ui_parameters=SWAGGER_PARAMETERS,
        )
        page.headers.update(policy)
        return page

    @app.get("/redoc", include_in_schema=False, dependencies=[PUBLIC])
    async def redoc() -> HTMLResponse:
        page = get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} — API reference",
            redoc_js_url=REDOC_JS,
            redoc_favicon_url=FAVICON,
            with_google_fonts=False,
        )
        page.headers.update(policy)
        return page
