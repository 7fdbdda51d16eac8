"""Parquet cache of normalised indicator tables, keyed by file content and reader options.

A cache entry is written to a temporary file and renamed into place, so a crash or a
failed import never leaves a partial entry behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from wijkkit.tellen import schema

CACHE_VERSION = "2"  # bump when the tidy table's shape or a reader's semantics change


def default_cache_dir() -> Path:
    """WIJKKIT_CACHE if set, else the user's cache folder (never the data folder: it may be read-only)."""
    if os.environ.get("WIJKKIT_CACHE"):
        return Path(os.environ["WIJKKIT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "wijkkit"


def file_digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_path(path: Path, reader: str, options: dict, cache_dir: Path) -> Path:
    key = json.dumps({"v": CACHE_VERSION, "reader": reader, "options": options,
                      "file": file_digest(path)}, sort_keys=True, default=str)
    name = hashlib.blake2b(key.encode(), digest_size=12).hexdigest()
    return cache_dir / f"{path.stem}-{name}.parquet"


def read_cached(target: Path) -> pd.DataFrame | None:
    if not target.exists():
        return None
    try:
        df = pd.read_parquet(target)
    except Exception:  # an unreadable entry is simply rebuilt
        return None
    return schema.finalize({c: df[c] for c in schema.COLUMNS})


def write_cached(df: pd.DataFrame, target: Path) -> None:
    """Keep a parquet copy for next time; where that cannot be written (a read-only project folder on a
    team share, a full disk) the figures are simply read from the files again next time."""
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".parquet")
        os.close(handle)
        df.to_parquet(tmp, index=False, compression="lz4")
        os.replace(tmp, target)
    except OSError:
        return
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
