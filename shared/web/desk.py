"""The desk: the pages collectors, supervisors and banks work in, served as static assets.

The pages live in the repository's ``web/desk`` folder (HTML, one plain-JS file, one
stylesheet; no library, no CDN). One service serves them under ``/desk`` and tells them
where every service answers (``/desk/config.json``); the pages then call each service's
own API from the browser, which each service allows through its CORS origins. No page
reads a database: what a person sees is what the APIs let them see.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from shared.auth.web import PUBLIC

DESK_DIR = Path(__file__).resolve().parents[2] / "web" / "desk"
ASSETS = "/desk/assets"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def desk_policy(service_urls: dict[str, str], token_url: str) -> str:
    """Only this origin's scripts and styles; connections only to the platform's services."""
    origins = sorted({o for o in map(_origin, [*service_urls.values(), token_url]) if o})
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' blob: data:",
            "frame-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            "connect-src " + " ".join(["'self'", *origins]),
        )
    )


def install_desk(app: FastAPI, service_urls: dict[str, str], token_url: str) -> None:
    """``GET /desk`` (the page), ``GET /desk/config.json`` and the assets, all public:
    the page holds no data and signs in before it asks for any."""
    headers = {"Content-Security-Policy": desk_policy(service_urls, token_url)}
    config = {"services": service_urls, "token_url": token_url}
    app.mount(ASSETS, StaticFiles(directory=DESK_DIR), name="desk-assets")

    @app.get("/desk", include_in_schema=False, dependencies=[PUBLIC])
    async def desk() -> FileResponse:
        return FileResponse(DESK_DIR / "index.html", headers=headers, media_type="text/html")

    @app.get("/desk/config.json", include_in_schema=False, dependencies=[PUBLIC])
    async def desk_config() -> JSONResponse:
        return JSONResponse(config, headers={"Cache-Control": "no-store"})
