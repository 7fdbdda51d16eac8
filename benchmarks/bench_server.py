"""The team server's cost: time from 'wijkkit server start' to a usable login page, and peak memory.

Sets up the demo project on a real team server (tests/hub.py: runtime in /opt/wijkkit-test, PostgreSQL, Unix
users; needs root, npm and a local PostgreSQL), starts it, makes a coördinator, three codeurs and a gast,
starts the three codeurs' JupyterLabs with a kernel each running the werkbank's imports, and opens the
kenniskring page (a kernel of the service). Memory (RSS) is sampled every 0.2 s per part, all the while:
  - hub (JupyterHub), proxy (node), PostgreSQL (every postgres process), labs (jupyterhub-singleuser of
    the codeurs and their kernels), kenniskring (the service and its kernels)
and printed as the peak of their sum and each part's peak. Then decisions per second from a codeur's kernel
(``decide`` one at a time, each its own transaction, as the werkbank writes them), alternating rounds with the
store's ownership as it is now (row-level security, the ownership trigger, geschiedenis) and as it was before
(the stamping trigger only, no row-level security), on the same server in the same run. Everything is removed
afterwards. PostgreSQL here is a cluster the benchmark starts (fsync off, as in the tests).

Usage: python benchmarks/bench_server.py [--rondes 3] [--beslissingen 200]
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hub import Hub, require_hub  # noqa: E402

CODEURS = ("anna", "bram", "chaima")
DATABASE = "wijkkit_hub_test"

# The store's ownership before issue 33: a trigger that stamped the member's name on codings, nothing else.
VOORHEEN_AAN = f"""
CREATE OR REPLACE FUNCTION wijkkit_stempel_voorheen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM unnest(ARRAY['{DATABASE}_coordinator', '{DATABASE}_codeur']) AS g(naam)
               WHERE pg_has_role(session_user, g.naam, 'MEMBER'))
       AND NOT (TG_TABLE_NAME = 'codings' AND NEW.status = 'suggested') THEN
        NEW.codeur := regexp_replace(session_user, '^wk-', '');
    END IF;
    RETURN NEW;
END $$;
ALTER TABLE codings DISABLE ROW LEVEL SECURITY;
ALTER TABLE codings DISABLE TRIGGER wijkkit_eigendom;
DROP TRIGGER IF EXISTS wijkkit_stempel_voorheen ON codings;
CREATE TRIGGER wijkkit_stempel_voorheen BEFORE INSERT OR UPDATE ON codings
    FOR EACH ROW EXECUTE FUNCTION wijkkit_stempel_voorheen();
"""
VOORHEEN_UIT = """
DROP TRIGGER IF EXISTS wijkkit_stempel_voorheen ON codings;
ALTER TABLE codings ENABLE TRIGGER wijkkit_eigendom;
ALTER TABLE codings ENABLE ROW LEVEL SECURITY;
"""
BESLIS = """
import os, time
from sqlalchemy import select
from wijkkit.config import Project
from wijkkit.coderen import beslissingen as b
from wijkkit.store.models import Coding
s = Project.load(os.environ["WIJKKIT_PROJECT"]).open_store()
with s.read() as session:
    rows = session.execute(select(Coding.story_id, Coding.id).where(Coding.status == "suggested")
                           .order_by(Coding.id).limit({n})).all()
began = time.perf_counter()
for story, cid in rows:
    b.decide(s, codeur="anna", story_id=story, status="accepted", suggestie_id=cid)
print(len(rows) / (time.perf_counter() - began))
"""


def decisions_per_second(hub, token: str, rondes: int, n: int) -> dict[str, list[float]]:
    """Alternating rounds: 'nu' (row-level security and history) and 'voorheen' (the stamping trigger only)."""
    rates: dict[str, list[float]] = {"nu": [], "voorheen": []}
    hub.run("anna", token, BESLIS.format(n=20))  # warm: imports, connections
    for _ in range(rondes):
        for mode in ("nu", "voorheen"):
            if mode == "voorheen":
                hub.cluster.psql(DATABASE, VOORHEEN_AAN)
            try:
                rates[mode].append(float(hub.run("anna", token, BESLIS.format(n=n)).strip()))
            finally:
                if mode == "voorheen":
                    hub.cluster.psql(DATABASE, VOORHEEN_UIT)
    return rates


def part_of(proc: psutil.Process) -> str | None:
    try:
        cmd = " ".join(proc.cmdline())
        user = proc.username()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    if user == "postgres" or cmd.startswith("postgres"):
        return "PostgreSQL"
    if "configurable-http-proxy" in cmd:
        return "proxy"
    if user == "wk-kenniskring":
        return "kenniskring"
    if user.startswith("wk-"):
        return "labs"
    if "jupyterhub -f" in cmd or "bin/jupyterhub " in cmd or "jupyterhub_idle_culler" in cmd:
        return "hub"
    return None


class Sampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.stop_event = threading.Event()
        self.peak_total = 0.0
        self.peak: dict[str, float] = {}

    def run(self):
        while not self.stop_event.is_set():
            parts: dict[str, float] = {}
            for proc in psutil.process_iter():
                part = part_of(proc)
                if part:
                    try:
                        parts[part] = parts.get(part, 0.0) + proc.memory_info().rss / 1e6
                    except psutil.NoSuchProcess:
                        continue
            self.peak_total = max(self.peak_total, sum(parts.values()))
            for part, value in parts.items():
                self.peak[part] = max(self.peak.get(part, 0.0), value)
            time.sleep(0.2)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Kosten van de teamserver: start, labs, geheugen, beslissingen/s.")
    parser.add_argument("--rondes", type=int, default=3, help="rondes beslissingen per opzet (afwisselend)")
    parser.add_argument("--beslissingen", type=int, default=200, help="beslissingen per ronde")
    args = parser.parse_args()
    require_hub()
    hub = Hub(Path("/srv") / f"wijkkit-hubbench-{uuid.uuid4().hex[:6]}")
    sampler = Sampler()
    try:
        hub.setup()
        starts = []
        sampler.start()
        hub.start()
        starts.append(hub.ready_after)
        hub.stop()
        hub.start()  # a second start: the first one also made the hub's own database
        starts.append(hub.ready_after)
        hub.add("coordinator", "coordinator")
        for naam in CODEURS:
            hub.add(naam, "codeur")
        hub.add("gast", "gast")
        tokens = {n: hub.token(hub.login(n), n) for n in CODEURS}
        spawn = []
        for naam in CODEURS:
            began = time.perf_counter()
            hub.spawn(naam, tokens[naam])
            spawn.append(time.perf_counter() - began)
        threads = [threading.Thread(target=hub.run, args=(n, tokens[n], "from wijkkit.coderen.werkbank import Werkbank\n"
                                                           "import os\nw = Werkbank.for_project(os.environ['WIJKKIT_PROJECT'])"))
                   for n in CODEURS]
        for thread in threads:
            thread.start()
        gast = hub.login("gast")
        began = time.perf_counter()
        page = gast.get(f"{hub.url}/services/kenniskring/", timeout=300)
        page_time = time.perf_counter() - began
        for thread in threads:
            thread.join()
        time.sleep(5)  # the page's kernel and the labs' kernels settle
        sampler.stop_event.set()
        rates = decisions_per_second(hub, tokens["anna"], args.rondes, args.beslissingen)
    finally:
        sampler.stop_event.set()
        hub.teardown()
    print(f"start tot bruikbare inlogpagina: {', '.join(f'{s:.1f}' for s in starts)} s "
          f"(mediaan {statistics.median(starts):.1f} s)")
    print(f"JupyterLab van een codeur starten: {', '.join(f'{s:.1f}' for s in spawn)} s")
    print(f"kenniskring-pagina (HTML, status {page.status_code}): {page_time:.1f} s")
    print(f"piekgeheugen samen (hub + proxy + PostgreSQL + 3 labs met kernel + kenniskring-dienst): "
          f"{sampler.peak_total:.0f} MB")
    for part in ("hub", "proxy", "PostgreSQL", "labs", "kenniskring"):
        print(f"  {part:<12} piek {sampler.peak.get(part, 0):6.0f} MB")
    nu, voorheen = statistics.median(rates["nu"]), statistics.median(rates["voorheen"])
    print(f"beslissingen per seconde vanuit een lab ({args.beslissingen} per ronde, mediaan van {args.rondes}):")
    print(f"  met row-level security en geschiedenis: {nu:6.1f}  ({', '.join(f'{r:.1f}' for r in rates['nu'])})")
    print(f"  zoals voorheen (alleen de stempel):     {voorheen:6.1f}  "
          f"({', '.join(f'{r:.1f}' for r in rates['voorheen'])})")
    print(f"  verhouding voorheen/nu: {voorheen / nu:.2f} (doel: hoogstens 1,2)")


if __name__ == "__main__":
    main()
