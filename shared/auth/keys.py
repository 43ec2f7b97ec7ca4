"""Token signing keys: Ed25519, identified by a thumbprint, several accepted for rotation.

Two kinds of signer: assignment's staff key (``signing-key.pem``, public half
``<kid>.pub.pem``) and intake's bank key (``bank-signing-key.pem``, public half
``bank-<kid>.pub.pem``). The ring remembers which public keys are bank keys, and a
token signed by one can only ever be a bank token (see ``tokens.verify_token``), so
intake's key cannot mint a staff role even if it leaks.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SIGNING_KEY_FILE = "signing-key.pem"
BANK_KEY_PREFIX = "bank-"
BANK_SIGNING_KEY_FILE = f"{BANK_KEY_PREFIX}{SIGNING_KEY_FILE}"
PUBLIC_KEY_SUFFIX = ".pub.pem"


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_file(kid: str, *, bank: bool = False) -> str:
    return f"{BANK_KEY_PREFIX if bank else ''}{kid}{PUBLIC_KEY_SUFFIX}"


def generate_key_pair(key_dir: Path, *, bank: bool = False) -> Ed25519PrivateKey:
    """Write a new signing key and its public half; the old public keys stay valid.
    ``bank=True`` makes intake's bank-token key (its public half named as a bank key)."""
    key_dir.mkdir(parents=True, exist_ok=True)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    name = BANK_SIGNING_KEY_FILE if bank else SIGNING_KEY_FILE
    tmp = key_dir / f".{name}.{os.getpid()}"
    tmp.write_bytes(pem)
    tmp.chmod(0o600)
    (key_dir / public_key_file(key_id(private.public_key()), bank=bank)).write_bytes(
        public_pem(private.public_key())
    )
    os.replace(tmp, key_dir / name)
    return private


def signing_key(path: Path, *, bank: bool = False, production: bool = False) -> Ed25519PrivateKey:
    """The signing key at ``path``; outside production a missing one is made (with its
    public half beside it), in production its absence stops the service."""
    if not path.exists():
        what = "bank-token" if bank else "token"
        if production:
            raise RuntimeError(f"production: no {what} signing key at {path}")
        generate_key_pair(path.parent, bank=bank)
    return load_signing_key(path)


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def parse_public_keys(pem_text: str) -> dict[str, Ed25519PublicKey]:
    """One or more concatenated PEM public keys (e.g. from an environment variable)."""
    keys: dict[str, Ed25519PublicKey] = {}
    marker = "-----END PUBLIC KEY-----"
    for chunk in pem_text.split(marker):
        if "-----BEGIN PUBLIC KEY-----" not in chunk:
            continue
        key = serialization.load_pem_public_key((chunk.strip() + "\n" + marker + "\n").encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("only Ed25519 public keys are accepted")
        keys[key_id(key)] = key
    return keys


class PublicKeyRing:
    """The public keys a service accepts: from settings text and from the key folder.

    The folder is re-read when a token names a key we do not know — at once when the
    folder changed since it was last read, else at most every few seconds — so a rotated
    key is accepted without restarting the service. Keys from
    ``bank_pem_text`` and ``bank-*.pub.pem`` files are bank keys: they sign bank tokens
    only. A key listed both ways counts as a bank key.
    """

    def __init__(
        self,
        key_dir: Path | None,
        pem_text: str = "",
        reload_every: float = 5.0,
        bank_pem_text: str = "",
    ):
        self.key_dir = key_dir
        fixed_bank = parse_public_keys(bank_pem_text) if bank_pem_text else {}
        self._fixed = {**(parse_public_keys(pem_text) if pem_text else {}), **fixed_bank}
        self._fixed_bank = frozenset(fixed_bank)
        self._keys: dict[str, Ed25519PublicKey] = dict(self._fixed)
        self._bank: frozenset[str] = self._fixed_bank
        self._loaded_at = float("-inf")
        self._folder_stamp: int | None = None
        self._reload_every = reload_every
        self._lock = threading.Lock()

    def get(self, kid: str) -> Ed25519PublicKey | None:
        if kid not in self._keys:
            self._reload()
        return self._keys.get(kid)

    def signs_banks_only(self, kid: str) -> bool:
        """True for a bank key: tokens it signs may carry a bank, never a staff role."""
        return kid in self._bank

    def known(self) -> bool:
        self._reload()
        return bool(self._keys)

    def _reload(self) -> None:
        with self._lock:
            now = time.monotonic()
            stamp = self._stamp()
            if now - self._loaded_at < self._reload_every and stamp == self._folder_stamp:
                return
            self._loaded_at, self._folder_stamp = now, stamp
            keys = dict(self._fixed)
            bank = set(self._fixed_bank)
            if self.key_dir is not None and self.key_dir.is_dir():
                for path in sorted(self.key_dir.glob(f"*{PUBLIC_KEY_SUFFIX}")):
                    found = parse_public_keys(path.read_text())
                    keys.update(found)
                    if path.name.startswith(BANK_KEY_PREFIX):
                        bank.update(found)
            self._bank = frozenset(bank)
            self._keys = keys

    def _stamp(self) -> int | None:
        """The folder's modification time: it changes when a key file is added or renamed."""
        try:
            return self.key_dir.stat().st_mtime_ns if self.key_dir is not None else None
        except OSError:
            return None
