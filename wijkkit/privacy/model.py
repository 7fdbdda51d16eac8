"""The name model (deduce's lookup structures): built once per machine, safely, then loaded.

deduce builds its lookup structures (about two minutes) and pickles them next to its own
source, without a lock and without writing atomically: two processes starting at once can
leave a torn file, after which every import fails with ``UnpicklingError``. Here the cache
lives in the user's cache folder (``WIJKKIT_NAAMMODEL`` to move it), readers take a shared
lock, one builder takes an exclusive lock and renames a finished file into place, and a file
that does not load is rebuilt.

``python -m wijkkit.privacy.model`` builds it ahead of time (``make`` does so after install).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import os
import pickle
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

CACHE_FILE = "lookup_structs.pickle"


def import_deduce() -> None:
    """Import deduce without its side effect: at import it calls ``logging.basicConfig(stream=sys.stdout,
    level=DEBUG)``, after which every library's debug lines (alembic's migrations, for one) land in the
    output of commands and notebooks."""
    if "deduce" in sys.modules:
        return
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    import deduce  # noqa: F401

    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


def cache_root() -> Path:
    """Where the built name model lives: WIJKKIT_NAAMMODEL, else the user's cache folder."""
    import_deduce()
    from deduce import __version__

    if os.environ.get("WIJKKIT_NAAMMODEL"):
        base = Path(os.environ["WIJKKIT_NAAMMODEL"])
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wijkkit" / "naammodel"
    return base / f"deduce-{__version__}"


@contextlib.contextmanager
def _locked(path: Path, mode: int):
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = open(path, "a+b")
    except PermissionError:  # a shared, read-only model (a team server): reading needs only a shared lock
        if mode != fcntl.LOCK_SH:
            raise
        handle = open(path, "rb")
    with handle:
        fcntl.flock(handle.fileno(), mode)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _load_cached(root: Path):
    """The lookup structures from the cache, or None when absent, stale or damaged."""
    import_deduce()
    from deduce import __version__
    from deduce.lookup_structs import load_lookup_structs_from_cache

    # Unpickling millions of small objects sets off the cyclic garbage collector again and again:
    # with it paused the load takes a third of the time (2 s instead of 6 s here). Once loaded, the
    # structures live as long as the process, so they move to the permanent generation (gc.freeze)
    # and later collections no longer walk through them.
    enabled = gc.isenabled()
    gc.disable()
    try:
        structs = load_lookup_structs_from_cache(cache_path=root, deduce_version=__version__)
    except (pickle.UnpicklingError, EOFError, AttributeError, ValueError, KeyError, TypeError, OSError,
            MemoryError, ImportError, IndexError):
        return None
    finally:
        if enabled:
            gc.enable()
    if structs is not None:
        gc.freeze()
    return structs


def _build(root: Path) -> None:
    """Build into a temporary folder next to the cache and rename the finished file into place."""
    import_deduce()
    from deduce import Deduce

    cache = root / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".bouw-") as tmp:
        Deduce(cache_path=Path(tmp), build_lookup_structs=True)
        os.replace(Path(tmp) / "cache" / CACHE_FILE, cache / CACHE_FILE)


def lookup_structs(voortgang: Callable[[str], None] | None = None):
    """The lookup structures, building them first (once, under a lock) when needed."""
    root = cache_root()
    lock = root / ".lock"
    with _locked(lock, fcntl.LOCK_SH):
        structs = _load_cached(root)
    if structs is not None:
        return structs
    with _locked(lock, fcntl.LOCK_EX):
        structs = _load_cached(root)  # another process may have built it while we waited
        if structs is None:
            stop = _show_progress(voortgang)
            try:
                _build(root)
            finally:
                stop()
            structs = _load_cached(root)
    if structs is None:
        raise RuntimeError(f"het naammodel in {root} kon niet worden opgebouwd")
    return structs


def load_deduce(voortgang: Callable[[str], None] | None = None):
    """A ``Deduce`` instance on our safely built lookup structures."""
    import_deduce()
    import deduce.deduce as dd_module
    from deduce import Deduce

    structs = lookup_structs(voortgang)
    original = dd_module.get_lookup_structs
    dd_module.get_lookup_structs = lambda **_: structs  # hand deduce what we loaded; it builds nothing
    try:
        return Deduce(cache_path=cache_root())
    finally:
        dd_module.get_lookup_structs = original


def _show_progress(voortgang: Callable[[str], None] | None) -> Callable[[], None]:
    """A Dutch line every few seconds while the model is built (it says nothing of itself)."""
    say = voortgang or (lambda line: print(line, file=sys.stderr, flush=True))
    began = time.monotonic()
    done = threading.Event()
    say("Naamherkenning wordt eenmalig opgebouwd (ongeveer 2 minuten); daarna start ze in seconden.")

    def tick():
        while not done.wait(15):
            say(f"  … naamherkenning opbouwen: {time.monotonic() - began:.0f} s")

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()

    def stop():
        done.set()
        say(f"Naamherkenning klaar na {time.monotonic() - began:.0f} s.")

    return stop


if __name__ == "__main__":  # python -m wijkkit.privacy.model
    began = time.monotonic()
    lookup_structs()
    print(f"Naamherkenning beschikbaar in {cache_root()} ({time.monotonic() - began:.1f} s).")
