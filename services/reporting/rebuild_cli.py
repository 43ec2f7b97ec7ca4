"""`make rebuild-reports`: sign in, ask the running reporting service to rebuild its read
models from offset zero, and wait until they are swapped in.

Environment: the ports of `make run` (REPORTING_PORT, ASSIGNMENT_PORT; 8005 and 8002 by
default), or whole URLs in REPORTING_URL and AUTH_TOKEN_URL; ADMIN_USERNAME /
ADMIN_PASSWORD (the development admin of `make run` by default).
"""

from __future__ import annotations

import os
import sys
import time

import httpx

from deploy.run_local import local_url


def main() -> int:
    base = os.environ.get("REPORTING_URL") or local_url("reporting")
    token_url = os.environ.get("AUTH_TOKEN_URL") or f"{local_url('assignment')}/auth/token"
    credentials = {
        "username": os.environ.get("ADMIN_USERNAME", "admin"),
        "password": os.environ.get("ADMIN_PASSWORD", "change-me-admin"),
    }
    with httpx.Client(timeout=30, trust_env=False) as http:
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
