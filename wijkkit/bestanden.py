"""Writing a file so that a reader never sees half of it, also when team members take turns writing it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(target: str | Path, text: str) -> Path:
    """Write ``text`` to ``target`` through a fresh temporary file beside it, then rename it into place.

    The temporary name is new every time: on a team server a colleague's leftover from a crash belongs to them
    and could not be overwritten. The file keeps the folder's group (setgid) and is readable by the team."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".nieuw", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o664)  # mkstemp makes it 600; the next writer replaces it, every member reads it
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
