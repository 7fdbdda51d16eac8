"""Keys for a project's encrypted originals, kept outside the (shareable) project folder.

A key belongs to the project, not to the folder it happens to sit in: it is named after the
project id in ``wijkkit.toml`` (``[project] id``), so renaming or moving the folder keeps the
originals readable. A key file holds one Fernet key per line, newest first; rotation
re-encrypts every original under a new key in one transaction and keeps the old key file as a
dated backup. The same folder holds a per-project secret for stable pseudonymous ids.

Projects made before the id existed get one on first use; their key, named after the old folder
path, is adopted then.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import uuid
from datetime import datetime
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from wijkkit.errors import Probleem, WijkkitInputError

ID_LINE = re.compile(r'^\s*id\s*=\s*"([0-9a-f-]{36})"', re.M)


def key_dir() -> Path:
    return Path(os.environ.get("WIJKKIT_KEY_DIR") or Path.home() / ".config" / "wijkkit" / "sleutels")


def legacy_key_path(project_root: str | Path) -> Path:
    """Where keys were kept before projects had an id (named after the folder path)."""
    name = hashlib.sha256(str(Path(project_root).resolve()).encode()).hexdigest()[:16]
    return key_dir() / f"{name}.key"


def project_id(project) -> str:
    """The project's id, written into its wijkkit.toml the first time a key is needed."""
    if project.config.project.id:
        return project.config.project.id
    toml = project.root / "wijkkit.toml"
    text = toml.read_text(encoding="utf-8")
    new = str(uuid.uuid4())
    lines = text.splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if line.strip() == "[project]"), None)
    if at is None:
        raise WijkkitInputError(Probleem("wijkkit.toml", "een blok [project]", soort="veld", kolom="project"))
    lines.insert(at + 1, f'id = "{new}"                # vaste id: de sleutel van de originelen hoort hierbij\n')
    tmp = toml.with_name(".wijkkit.toml.tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    os.replace(tmp, toml)
    project.config.project.id = new
    legacy = legacy_key_path(project.root)
    if legacy.exists() and not key_path(project).exists():
        os.link(legacy, key_path(project))  # the folder's old key now belongs to the project
    return new


def key_path(project) -> Path:
    return key_dir() / f"{project_id(project)}.key"


def _write_private(path: Path, data: bytes) -> None:
    """Write a secret atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _keys(path: Path) -> list[bytes]:
    return [line.strip() for line in path.read_bytes().splitlines() if line.strip()]


def fernet(project, *, create: bool = True) -> MultiFernet:
    """All keys of the project (newest encrypts, every one decrypts); a first key is made when asked."""
    path = key_path(project)
    if not path.exists():
        if not create:
            raise WijkkitInputError(Probleem(
                path.name, f"de sleutel van dit project in {key_dir()} (zonder sleutel zijn de originelen "
                "niet te lezen)", gevonden="geen sleutelbestand"))
        _write_private(path, Fernet.generate_key() + b"\n")
    return MultiFernet([Fernet(key) for key in _keys(path)])


def project_secret(project) -> bytes:
    """A per-project secret for pseudonymous ids (never rotated: ids must stay the same)."""
    path = key_dir() / f"{project_id(project)}.geheim"
    if not path.exists():
        _write_private(path, os.urandom(32).hex().encode())
    return path.read_bytes().strip()


def pseudonymous(project, value: str, length: int = 8) -> str:
    """A short, stable stand-in for ``value`` that cannot be recomputed without the project's secret."""
    return hmac.new(project_secret(project), value.encode("utf-8"), hashlib.sha256).hexdigest()[:length]


# ---------------------------------------------------------------------------- check, decrypt, rotate
def check(project, store) -> dict:
    """How many originals there are and how many the project's key opens."""
    from wijkkit.store.models import Original

    crypt = fernet(project, create=False)
    bad = []
    with store.read() as session:
        originals = session.query(Original).all()
        for original in originals:
            try:
                crypt.decrypt(original.versleuteld)
            except InvalidToken:
                bad.append(original.story_id)
    return {"originelen": len(originals), "leesbaar": len(originals) - len(bad), "onleesbaar": bad,
            "sleutel": str(key_path(project))}


def decrypt_all(project, store) -> list[tuple[str, str]]:
    """(story id, original text) for every original of a story with consent for analysis."""
    from wijkkit.store.models import Original, Story

    crypt = fernet(project, create=False)
    with store.read() as session:
        rows = session.query(Original, Story.toestemming).join(Story, Story.id == Original.story_id) \
            .order_by(Original.story_id).all()
        return [(o.story_id, crypt.decrypt(o.versleuteld).decode("utf-8")) for o, toestemming in rows
                if toestemming != "none"]


def rotate(project, store) -> int:
    """Re-encrypt every original under a new key; returns how many. The old key file is kept as a backup.

    Crash-safe in three steps: the key file first holds the new and the old keys (both decrypt),
    then the originals are re-encrypted in one transaction, then the old keys leave the file.
    """
    from wijkkit.store.models import Original

    path = key_path(project)
    old = _keys(path) if path.exists() else []
    if not old:
        raise WijkkitInputError(Probleem(path.name, "een bestaande sleutel om te vervangen", gevonden="geen sleutel"))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    _write_private(path.with_name(f"{path.name}.oud-{stamp}"), b"\n".join(old) + b"\n")
    new = Fernet.generate_key()
    _write_private(path, b"\n".join([new, *old]) + b"\n")
    crypt = MultiFernet([Fernet(key) for key in [new, *old]])
    with store.session() as session:
        originals = session.query(Original).all()
        for original in originals:
            original.versleuteld = crypt.rotate(original.versleuteld)
    _write_private(path, new + b"\n")
    return len(originals)
