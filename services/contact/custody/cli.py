"""``make backup-recordings``: one backup round of every branch with a custodian, on the
contact database and file store the environment names (CONTACT_DATABASE_URL, …); prints
each run's report."""

from __future__ import annotations

import sys

from services.contact.custody import store
from services.contact.custody.service import scheduled_round
from services.contact.settings import ContactSettings
from shared.clock import utc_now
from shared.db import Database


def main() -> int:
    settings = ContactSettings()
    db = Database(settings.database_url)
    try:
        started = utc_now()
        branches = scheduled_round(db, settings, started)
        with db.reader() as session:
            failed = 0
            for run in store.runs_since(session, started):
                print(f"{run.branch_id}: {run.backed_up} backed up, {run.failed} failed "
                      f"({run.custodian_id}, run {run.id})")  # fmt: skip
                failed += run.failed
                for item in store.failed_items_of(session, run.id):
                    print(f"  failed {item.case_id}/{item.sha256}: {item.reason}")
        if not branches:
            print("no branch has a recordings custodian: nothing backed up")
        return 1 if failed else 0
    finally:
        db.dispose()


if __name__ == "__main__":
    sys.exit(main())
