"""Encryption of original story texts with a key kept outside the (shareable) project folder."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.fernet import Fernet


def key_path(project_root: str | Path) -> Path:
    base = Path(os.environ.get("WIJKKIT_KEY_DIR") or Path.home() / ".config" / "wijkkit" / "sleutels")
    name = hashlib.sha256(str(Path(project_root).resolve()).encode()).hexdigest()[:16]
    return base / f"{name}.key"


def fernet(project_root: str | Path) -> Fernet:
    path = key_path(project_root)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key())
    return Fernet(path.read_bytes())
