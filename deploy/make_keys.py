"""Make the token key pairs for a production-shaped deployment (docker compose).

Writes ``<out>/signing-key.pem`` (staff tokens; only the assignment service gets it),
``<out>/bank-signing-key.pem`` (bank tokens; only the intake service gets it) and their
public halves ``<out>/public/<kid>.pub.pem`` and ``<out>/public/bank-<kid>.pub.pem``
(every service gets the folder; the ``bank-`` name makes a key sign bank tokens only),
and ``<out>/blacklist-key``, the blacklist's hashing secret, made once and never replaced
(a new one would make every earlier entry unfindable).
Running it again adds new key pairs and keeps the old public keys, which is how keys are
rotated: tokens signed with an old key stay valid until they expire; remove old public
keys after that.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import tempfile
from pathlib import Path

from shared.auth.keys import (
    BANK_SIGNING_KEY_FILE,
    SIGNING_KEY_FILE,
    generate_key_pair,
    key_id,
    public_key_file,
)


def _make_pair(out: Path, *, bank: bool) -> str:
    with tempfile.TemporaryDirectory() as scratch:
        private = generate_key_pair(Path(scratch), bank=bank)
        kid = key_id(private.public_key())
        public = public_key_file(kid, bank=bank)
        (out / "public").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(scratch) / public, out / "public" / public)
        name = BANK_SIGNING_KEY_FILE if bank else SIGNING_KEY_FILE
        target = out / name
        shutil.copyfile(Path(scratch) / name, target)
        target.chmod(0o600)
    return kid


BLACKLIST_KEY_FILE = "blacklist-key"


def _blacklist_key(out: Path) -> None:
    target = out / BLACKLIST_KEY_FILE
    if target.exists():
        return
    target.write_text(secrets.token_urlsafe(32) + "\n", encoding="utf-8")
    target.chmod(0o600)


def make_keys(out: Path) -> str:
    """Both key pairs, and the blacklist's secret if there is none yet; returns the staff
    key's id."""
    kid = _make_pair(out, bank=False)
    _make_pair(out, bank=True)
    _blacklist_key(out)
    return kid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("deploy/keys"))
    args = parser.parse_args()
    print(f"new signing keys (staff {make_keys(args.out)}, and a bank key) in {args.out}")


if __name__ == "__main__":
    main()
