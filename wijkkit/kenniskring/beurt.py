"""Taking turns: a crowd that opens the page at once is served one after another, not all slowly.

Setting up a dashboard kernel costs a few seconds of CPU (pandas, Altair, the first chart).
When ten people open the page in the same second on a laptop with two cores, ten kernels
sharing the CPU all finish after half a minute; taking turns, with as many kernels at work as
there are cores, the first visitors have their page in seconds and the last no later than before.
The turns are slots of ``fcntl`` locks in the temporary folder, shared by every kernel on this
machine; a lock goes with its process, so a kernel that dies never blocks the others.

Only the standard library is imported here: the point is to wait *before* the heavy imports.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no turns, every kernel starts at once
    fcntl = None

# per Unix user: on a team server the kenniskring page's kernels (one user) take turns among themselves, and
# nobody else's lock files stand in their way
FOLDER = Path(tempfile.gettempdir()) / f"wijkkit-beurten-{os.getuid() if hasattr(os, 'getuid') else 0}"


@contextlib.contextmanager
def een_voor_een(plaatsen: int | None = None, *, wachten: float = 120.0, folder: Path = FOLDER):
    """Hold one of ``plaatsen`` turns (default: the number of cores) while the block runs.

    After ``wachten`` seconds without a turn the block runs anyway: a slow page beats no page.
    """
    plaatsen = plaatsen or os.cpu_count() or 1
    if fcntl is None:
        yield None
        return
    folder.mkdir(parents=True, exist_ok=True)
    handle = None
    deadline = time.monotonic() + wachten
    while handle is None and time.monotonic() < deadline:
        for slot in range(plaatsen):
            candidate = open(folder / f"beurt-{slot}.lock", "a+")
            try:
                fcntl.flock(candidate.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                candidate.close()
                continue
            handle = candidate
            break
        else:
            time.sleep(0.05)
    try:
        yield handle
    finally:
        if handle is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()
