"""Make the staff-token key pair for a production-shaped deployment (docker compose).

Writes ``<out>/signing-key.pem`` (only the assignment service gets it) and
``<out>/public/<kid>.pub.pem`` (every service gets the folder). Running it again adds a
new key pair and keeps the old public keys, which is how keys are rotated: tokens signed
with the old key stay valid until they expire; remove old public keys after that.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from shared.auth.keys import PUBLIC_KEY_SUFFIX, SIGNING_KEY_FILE, generate_key_pair, key_id


def make_keys(out: Path) -> str:
    with tempfile.TemporaryDirectory() as scratch:
        private = generate_key_pair(Path(scratch))
        kid = key_id(private.public_key())
        (out / "public").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(
            Path(scratch) / f"{kid}{PUBLIC_KEY_SUFFIX}",
            out / "public" / f"{kid}{PUBLIC_KEY_SUFFIX}",
        )
        target = out / SIGNING_KEY_FILE
        shutil.copyfile(Path(scratch) / SIGNING_KEY_FILE, target)
        target.chmod(0o600)
    return kid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("deploy/keys"))
    args = parser.parse_args()
    print(f"new signing key {make_keys(args.out)} in {args.out}")


if __name__ == "__main__":
    main()
