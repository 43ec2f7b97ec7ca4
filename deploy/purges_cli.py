"""`make purge-preview CLIENT=<id>`: what a purge of the client would remove, per service
(the dry run; nothing changes). `make purges [CLIENT=<id>]`: each service's purge runs —
who ordered them, when, what went, when that service finished.

Environment: INTAKE_URL … REPORTING_URL (http://127.0.0.1:8001 … 8005), AUTH_TOKEN_URL
(http://127.0.0.1:8002/auth/token), ADMIN_USERNAME / ADMIN_PASSWORD (the development admin
of `make run` by default), CLIENT. Exit status 1 when a service cannot be asked.
"""

from __future__ import annotations

import os
import sys

import httpx

from deploy.admin_cli import service_urls, signed_in


def _print_preview(service: str, answer: dict) -> None:
    print(f"{service}: {answer['cases']} cases")
    for what, count in answer["would_remove"].items():
        if count:
            print(f"  {what}: {count}")


def _print_runs(service: str, answer: dict) -> None:
    print(f"{service}: {len(answer['items'])} purges")
    for run in answer["items"]:
        removed = sum(run["removed"].values())
        print(
            f"  {run['purge_id']} client {run['client_id']} ordered by {run['ordered_by']} "
            f"at {run['ordered_at']}, finished {run['finished_at']}: {removed} rows/files"
        )


def main(mode: str) -> int:
    client = os.environ.get("CLIENT", "")
    if mode == "preview" and not client:
        print("CLIENT=<client id> is required", file=sys.stderr)
        return 2
    trouble = False
    with signed_in(timeout=120) as (http, headers):
        for service, base in service_urls():
            path = "/admin/purges/preview" if mode == "preview" else "/admin/purges"
            params = {"client_id": client} if client else {}
            try:
                answer = http.get(f"{base}{path}", params=params, headers=headers)
                answer.raise_for_status()
            except httpx.HTTPError as exc:
                print(f"{service}: cannot ask ({exc})", file=sys.stderr)
                trouble = True
                continue
            (_print_preview if mode == "preview" else _print_runs)(service, answer.json())
    return 1 if trouble else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "runs"))
