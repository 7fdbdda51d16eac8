"""Cache of figures files as read, keyed by file content and reader options.

Entries are Arrow IPC files (LZ4) of the file's wide table: a national file is written in hundredths of a
second and read back through a memory map, so a project takes its own gemeente's rows without copying the
country. A cache entry is written to a temporary file and renamed into place, so a crash or a failed import
never leaves a partial entry behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from wijkkit.tellen import schema
from wijkkit.tellen.breed import WideTable

CACHE_VERSION = "4"  # bump when the tidy table's shape or a reader's semantics change


def default_cache_dir() -> Path:
    """WIJKKIT_CACHE if set, else the user's cache folder (never the data folder: it may be read-only)."""
    if os.environ.get("WIJKKIT_CACHE"):
        return Path(os.environ["WIJKKIT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "wijkkit"


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()  # SHA-NI: three times the speed of blake2b here
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_path(path: Path, reader: str, options: dict, cache_dir: Path, data: bytes | None = None) -> Path:
    """The entry for this file's content (``data``: its bytes, when the caller has read them already)."""
    digest = hashlib.sha256(data).hexdigest() if data is not None else file_digest(path)
    key = json.dumps({"v": CACHE_VERSION, "reader": reader, "options": options,
                      "file": digest}, sort_keys=True, default=str)
    name = hashlib.blake2b(key.encode(), digest_size=12).hexdigest()
    return cache_dir / f"{path.stem}-{name}{SUFFIX}"


SUFFIX = ".arrow"


def read_wide(target: Path, keep=None) -> WideTable | None:
    """A cached file as read (``keep`` selects rows before they are copied out of the memory map)."""
    if not target.exists():
        return None
    try:
        return WideTable.from_arrow(_read_arrow(target), keep)
    except Exception:  # an unreadable entry is simply rebuilt
        return None


class PendingWrite:
    """A cache entry written in a thread under a temporary name while the caller goes on (Arrow releases the
    GIL while it compresses and writes), and put in place only by :meth:`commit`: a call whose other files
    fail calls :meth:`discard`, and nothing of it is kept."""

    def __init__(self, wide: WideTable, target: Path):
        import threading

        self.target, self.tmp = target, None
        self._thread = threading.Thread(target=self._write, args=(wide.to_arrow(),), daemon=True)
        self._thread.start()

    def _write(self, table) -> None:
        import pyarrow.feather as feather

        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            handle, self.tmp = tempfile.mkstemp(dir=self.target.parent, prefix=".tmp-", suffix=SUFFIX)
            os.close(handle)
            feather.write_feather(table, self.tmp, compression="lz4")
        except OSError:  # a read-only folder or a full disk: the file is simply read again next time
            self._remove()

    def commit(self) -> None:
        self._thread.join()
        if self.tmp:
            try:
                os.replace(self.tmp, self.target)
            except OSError:
                self._remove()

    def discard(self) -> None:
        self._thread.join()
        self._remove()

    def _remove(self) -> None:
        if self.tmp and os.path.exists(self.tmp):
            os.unlink(self.tmp)
        self.tmp = None


def read_cached(target: Path) -> pd.DataFrame | None:
    """A cached tidy table (CBS open data), or None."""
    if not target.exists():
        return None
    try:
        df = _read_arrow(target).to_pandas()
        return schema.finalize({c: df[c] for c in schema.COLUMNS})
    except Exception:  # an unreadable entry is simply rebuilt
        return None


def write_cached(df: pd.DataFrame, target: Path) -> None:
    import pyarrow as pa

    _write(pa.Table.from_pandas(df, preserve_index=False), target)


def _read_arrow(target: Path):
    import pyarrow.feather as feather

    return feather.read_table(target, memory_map=True)


def _write(table, target: Path) -> None:
    """Keep a copy for next time: an Arrow IPC file (LZ4), written under a temporary name and renamed into
    place. Where that cannot be written (a read-only project folder on a team share, a full disk) the figures
    are simply read from the files again next time."""
    import pyarrow.feather as feather

    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=SUFFIX)
        os.close(handle)
        feather.write_feather(table, tmp, compression="lz4")
        os.replace(tmp, target)
    except OSError:
        return
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
