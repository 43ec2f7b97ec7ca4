"""`make rebuild-reports`: sign in, ask the running reporting service to rebuild its read
models from offset zero, and wait until they are swapped in.

Environment: REPORTING_URL (http://127.0.0.1:8005), AUTH_TOKEN_URL
(http://127.0.0.1:8002/auth/token), ADMIN_USERNAME / ADMIN_PASSWORD (the development admin
of `make run` by default).
"""

from __future__ import annotations

import os
import sys
import time

import httpx


def main() -> int:
    base = os.environ.get("REPORTING_URL", "http://127.0.0.1:8005")
    token_url = os.environ.get("AUTH_TOKEN_URL", "http://127.0.0.1:8002/auth/token")
    credentials = {
        "username": os.environ.get("ADMIN_USERNAME", "admin"),
        "password": os.environ.get("ADMIN_PASSWORD", "change-me-admin"),
    }
    with httpx.Client(timeout=30) as http:
        token = http.post(token_url, data=credentials)
        token.raise_for_status()
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        started = http.post(f"{base}/admin/rebuild", headers=headers)
        if started.status_code not in (202, 409):
            print(started.text, file=sys.stderr)
            return 1
        while True:
            status = http.get(f"{base}/admin/rebuild", headers=headers).json()
            print(f"{status['state']}: {status['events']} events", flush=True)
            if status["state"] in ("done", "failed"):
                return 0 if status["state"] == "done" else 1
            time.sleep(2)


if __name__ == "__main__":
    sys.exit(main())
