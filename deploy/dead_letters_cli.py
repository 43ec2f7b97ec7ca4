"""`make dead-letters`: sign in as an admin and list every service's waiting dead letters.

Environment: INTAKE_URL … REPORTING_URL (http://127.0.0.1:8001 … 8005), AUTH_TOKEN_URL
(http://127.0.0.1:8002/auth/token), ADMIN_USERNAME / ADMIN_PASSWORD (the development admin
of `make run` by default), STATUS (waiting; or replayed, discarded, all).
Exit status 1 when any service has dead letters waiting or cannot be asked.
"""

from __future__ import annotations

import os
import sys

import httpx

from deploy.admin_cli import service_urls, signed_in


def _letters(http: httpx.Client, base: str, headers: dict[str, str], status: str) -> list[dict]:
    found: list[dict] = []
    params: dict[str, str | int] = {"limit": 1000}
    if status != "all":
        params["status"] = status
    while True:
        answer = http.get(f"{base}/admin/dead-letters", params=params, headers=headers)
        if answer.status_code == 404:
            return found  # a service that consumes nothing keeps no dead letters
        answer.raise_for_status()
        page = answer.json()
        found += page["items"]
        if page["next_after_id"] is None:
            return found
        params["after_id"] = page["next_after_id"]


def main() -> int:
    status = os.environ.get("STATUS", "waiting")
    trouble = False
    with signed_in(timeout=30) as (http, headers):
        for service, base in service_urls():
            try:
                letters = _letters(http, base, headers, status)
            except httpx.HTTPError as exc:
                print(f"{service}: cannot ask ({exc})", file=sys.stderr)
                trouble = True
                continue
            print(f"{service}: {len(letters)} {status}")
            for d in letters:
                trouble = trouble or d["status"] == "waiting"
                print(
                    f"  #{d['id']} {d['dead_lettered_at']} {d['event_type']} "
                    f"{d['topic']}[{d['partition']}]@{d['offset']} {d['status']}: "
                    f"{d['error'][:160]}"
                )
    return 1 if trouble else 0


if __name__ == "__main__":
    sys.exit(main())
