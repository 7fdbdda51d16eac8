"""Start the kenniskring dashboard with Voila, bound to this machine only, for a whole evening.

What keeps an evening of forty visits boring:

- a preheated kernel: the first visitor gets a page that has already been computed;
- kernels whose page is gone are shut down (Voila's shutdown beacon, see ``voila_app``) or
  culled after ``opruimen`` seconds without a connection; at most ``max_kernels`` run at once;
- every word Voila shows while loading is Dutch, the page is ``lang="nl"``, nothing loads
  from outside 127.0.0.1;
- a taken port is reported and another one used, and the address printed is the one served;
- duidingen pseudonymised lightly in a visitor's kernel get the full pass in a short-lived
  process of this server (the gigabyte name model is loaded once, and let go again).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import webbrowser
from pathlib import Path

from wijkkit.config import Project
from wijkkit.kenniskring.klaar import mark_ready  # noqa: F401  (pages import it from here too)
from wijkkit.kenniskring.zaal import DEELNEMER_HEADER
from wijkkit.errors import Probleem, WijkkitInputError
from wijkkit.notebooks import KENNISKRING, vind

# What a page's widgets need from the kernel; an execute_request from a browser is dropped (here, below the team
# server's service, which uses the same list).
WIDGET_MESSAGES = ["comm_open", "comm_msg", "comm_close", "comm_info_request", "kernel_info_request"]

DASHBOARD = KENNISKRING
TEMPLATE = "wijkkit"

# Voila's loading texts, and what the circle reads instead
DUTCH = {
    "Running {{nb_title}}...": "De pagina wordt klaargezet …",
    "Executing ${cell_index} of ${cell_count}": "Bezig met klaarzetten: stap ${cell_index} van ${cell_count}",
    "Reading ${cell_index} of ${cell_count}": "Bezig met inlezen: stap ${cell_index} van ${cell_count}",
    "Ok, voila is still executing...": "De pagina wordt nog klaargezet …",
}
ERROR_PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Kenniskring: even niet beschikbaar</title>
<style>body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 22px; max-width: 46em; margin: 10vh auto;
line-height: 1.5; padding: 0 24px; color: #1a1a1a; } h1 { font-size: 30px; }</style></head>
<body><h1>{% if status_code == 503 %}Het is even te druk{% elif status_code == 404 %}Deze pagina bestaat niet{%
else %}Er ging iets mis{% endif %}</h1>
<p>{% if status_code == 503 %}{{ message }}{% elif status_code == 404 %}Ga terug naar het begin van de
kenniskring-pagina.{% else %}De pagina kon niet worden klaargezet. Laad haar opnieuw; lukt het dan nog niet, vraag
de begeleider om in het logboek van de server te kijken.{% endif %}</p>
<p><a href="/">Terug naar de kenniskring-pagina</a></p></body></html>
"""


# ipykernel, started as ``python -m ipykernel_launcher`` would; a refill of the preheated pool (marked by the kernel
# manager, see voila_app) first lowers its own priority, so it computes while the room's pages are idle. A kernel
# whose connection file is already gone (the server stopped while it was starting) does not start at all: ipykernel
# would otherwise open TCP ports of its own choosing that nobody will ever connect to.
KERNEL_START = ("import os, runpy, sys; os.path.exists(sys.argv[sys.argv.index('-f') + 1]) or sys.exit(0); "
                "os.environ.pop('WIJKKIT_ACHTERGROND', '') and hasattr(os, 'nice') and os.nice(10); "
                "runpy.run_module('ipykernel_launcher', run_name='__main__', alter_sys=True)")


def offline_template(target: Path) -> Path:
    """Voila's lab template, Dutch and without CDN links, built from the installed Voila.

    Built at start-up rather than copied into the repository, so it follows Voila upgrades:
    the stylesheet links to jsdelivr go, the loading texts and the error page are Dutch, and
    the page says ``lang="nl"``.
    """
    from jupyter_core.paths import jupyter_path

    source = next(Path(p) for p in jupyter_path("voila", "templates", "lab") if Path(p).is_dir())
    base = next(Path(p) for p in jupyter_path("voila", "templates", "base") if Path(p).is_dir())
    dest = target / "voila" / "templates" / TEMPLATE
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest)
    index = dest / "index.html.j2"
    lines = index.read_text(encoding="utf-8").splitlines(keepends=True)
    # mermaid is imported from cdnjs by nbconvert's lab template; the dashboard draws no diagrams
    no_mermaid = "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    index.write_text("".join(line for line in lines if "://cdn" not in line) + no_mermaid, encoding="utf-8")
    for name in ("spinner.macro.html.j2", "voila_setup.macro.html.j2"):
        text = (base / name).read_text(encoding="utf-8")
        for english, dutch in DUTCH.items():
            text = text.replace(english, dutch)
        (dest / name).write_text(text, encoding="utf-8")
    for name in ("error.html", "404.html", "503.html"):
        (dest / name).write_text(ERROR_PAGE, encoding="utf-8")
    from wijkkit.kenniskring.zaal import LOGIN_PAGE

    (dest / "login.html").write_text(LOGIN_PAGE, encoding="utf-8")  # zaalmodus: the code, in Dutch
    (dest / "conf.json").write_text(json.dumps({"base_template": "lab"}), encoding="utf-8")
    # the visitors' kernel: ipykernel would forward what the process writes to its stderr (its own log, with
    # tracebacks and paths) to the browser; here it stays in the server's terminal
    spec = target / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c", KERNEL_START, "-f", "{connection_file}",
                 "--IPKernelApp.capture_fd_output=False"],
        "display_name": "Python 3 (kenniskring)", "language": "python", "metadata": {"debugger": False}}),
        encoding="utf-8")
    return target


def voila_command(notebook: Path, *, port: int, open_browser: bool, preheat: bool = True,
                  opruimen: int = 120, max_kernels: int = 12, ip: str = "127.0.0.1", code_bestand: Path | None = None,
                  pool: int = 1, reserve: int = 1, data_dir: Path | None = None) -> list[str]:
    """Voila with sources stripped and tracebacks hidden: residents never see code.

    With ``preheat`` a kernel has already run the notebook before anyone opens the page
    (notebooks/voila.json sets a pool of one; each visitor takes it and a new one warms up).
    A kernel without a page for ``opruimen`` seconds is shut down; the pool's kernel is kept.
    With ``code_bestand`` (a file holding the room's session code, deleted once read) nobody gets anything
    without the code, not even the loading page; the code is never on this command line (``ps``).
    A visitor's browser may send its kernel widget messages only: no code.
    """
    interval = max(1, min(30, opruimen // 2))
    return [sys.executable, "-m", "wijkkit.kenniskring.voila_app", str(notebook), f"--Voila.ip={ip}",
            f"--port={port}", "--Voila.port_retries=0", f"--preheat_kernel={preheat}",
            "--strip_sources=True", "--show_tracebacks=False", "--theme=light", f"--template={TEMPLATE}",
            "--HTMLExporter.language_code=nl",
            # a busy laptop (a room arriving at once) delivers a cell's output seconds after the cell finished;
            # waiting only nbclient's 4 s lost the page's widgets, which then never appeared
            "--VoilaExecutor.iopub_timeout=60",
            # editor-only extensions have no place in a page and fail to load in Voila's frontend
            "--VoilaConfiguration.extension_denylist=jupyterlab-jupytext",
            "--VoilaConfiguration.multi_kernel_manager_class=wijkkit.kenniskring.voila_app.BegrensdeKernels",
            f"--BegrensdeKernels.max_kernels={max_kernels}",
            f"--BegrensdeKernels.allowed_message_types={WIDGET_MESSAGES}",
            f"--MappingKernelManager.cull_idle_timeout={opruimen}", f"--MappingKernelManager.cull_interval={interval}",
            "--MappingKernelManager.cull_connected=False", "--MappingKernelManager.cull_busy=False",
            "--Voila.identity_provider_class=wijkkit.kenniskring.voila_app.ZaalIdentiteit",
            *([f"--ZaalIdentiteit.code_bestand={code_bestand}"] if code_bestand else []),
            # the page's kernel learns which device asks (see voila_app), so extra tabs are one participant
            f"--VoilaConfiguration.http_header_envs={DEELNEMER_HEADER}",
            # kernels talk to Voila over Unix sockets in Voila's private folder, not over TCP on this machine
            "--KernelManager.transport=ipc",
            *([f"--NotebookNotary.data_dir={data_dir}"] if data_dir else []),
            # kernels already computed before a visitor asks: one for a laptop, more when a room arrives at once
            f"--BegrensdeKernels.voorverwarmd={pool}", f"--BegrensdeKernels.reserve={reserve}",
            *([] if open_browser else ["--no-browser"])]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def choose_port(port: int, tries: int = 20, host: str = "127.0.0.1") -> int:
    """``port`` if it is free, else the next free one (and say so)."""
    for candidate in range(port, port + tries):
        if port_is_free(candidate, host):
            if candidate != port:
                print(f"Poort {port} is al in gebruik (draait er al een dashboard of werkbank?); "
                      f"deze pagina gebruikt poort {candidate}.", flush=True)
            return candidate
    raise WijkkitInputError(Probleem(f"poort {port}", f"een vrije poort tussen {port} en {port + tries - 1}",
                                     gevonden="alle bezet"))


def serve(project: str | Path = ".", *, port: int = 8866, open_browser: bool = True,
          notebook_name: str = DASHBOARD, titel: str = "Kenniskring-dashboard", preheat: bool = True,
          opruimen: int = 120, max_kernels: int | None = None, nabewerken: bool = True, zaal: bool = False,
          verwacht: int | None = None) -> int:
    """Serve a page until Ctrl+C or SIGTERM; then Voila, every kernel and the rekenaar stop, and waiting
    duidingen get their full pseudonymisation once more. In zaalmodus ``verwacht`` pages (default: as many
    participants as last time, else 40) are computed before the QR code goes up."""
    proj = Project.load(project)
    notebook = vind(proj.root / "notebooks", notebook_name)  # also a project from before the renumbering
    if not notebook.exists():
        raise WijkkitInputError(Probleem(notebook_name, "het notebook in notebooks/ van het project",
                                         gevonden=str(notebook)))
    # read (and cache) the figures once here: a national file is read whole once, before any visitor, and a
    # file that is wrong is a Dutch message in this terminal instead of a page that cannot be prepared
    proj.load_indicators()
    data_dir = offline_template(proj.cache_dir / "jupyter")
    trust(notebook, data_dir)
    port = choose_port(port, host="0.0.0.0" if zaal else "127.0.0.1")
    ready = proj.cache_dir / f"klaar-{port}"
    ready.unlink(missing_ok=True)
    env = {**os.environ, "WIJKKIT_PROJECT": str(proj.root), "WIJKKIT_READY_FILE": str(ready),
           "JUPYTER_PATH": os.pathsep.join(filter(None, [str(data_dir), os.environ.get("JUPYTER_PATH")]))}
    for name in ("WIJKKIT_ZAAL", "JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE"):  # never in a kernel's environment
        env.pop(name, None)
    stopping = threading.Event()
    started: list[subprocess.Popen] = []
    bijeenkomst, code, code_bestand, zaal_info = None, None, None, None

    asked: list[int] = []

    def stop(signum, _frame) -> None:
        # only a plain list here: a signal handler runs inside whatever the main thread was doing, and
        # Event.set() inside that thread's own Event.wait() deadlocked on the Event's lock (a Ctrl+C that hung)
        asked.append(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        url = f"http://127.0.0.1:{port}/"
        limit = max_kernels if max_kernels is not None else kernel_limit()
        pool = 1
        if zaal:
            from wijkkit.kenniskring.agenda import deelnemers_vorige_keer, start_bijeenkomst
            from wijkkit.kenniskring.zaal import lan_address, qr_svg, session_code

            code, adres = session_code(), lan_address()
            url = f"http://127.0.0.1:{port}/?token={code}"
            zaal_url = f"http://{adres}:{port}/?token={code}"
            store = proj.open_store()
            verwacht = verwacht or deelnemers_vorige_keer(store) or 40
            pool = zaal_pool(limit, verwacht)
            bijeenkomst = start_bijeenkomst(store, titel=f"{titel} {time.strftime('%d-%m-%Y')}")
            # only the rekenaar knows the code (it draws the QR code for the beamer); Voila reads it from a file
            # that it deletes at once, so it is on no command line and in no kernel's environment
            zaal_info = json.dumps({"url": zaal_url, "adres": f"{adres}:{port}", "code": code, "qr": qr_svg(zaal_url)})
            code_bestand = proj.cache_dir / f"zaalcode-{port}"
            code_bestand.unlink(missing_ok=True)
            fd = os.open(code_bestand, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(code)
        if notebook_name == DASHBOARD:
            rekenaar, (rekenaar_port, token) = _start_rekenaar(
                proj.root, {**env, **({"WIJKKIT_ZAAL": zaal_info} if zaal_info else {})}, bijeenkomst)
            started.append(rekenaar)
            env.update(WIJKKIT_REKENAAR=f"http://127.0.0.1:{rekenaar_port}", WIJKKIT_REKENAAR_TOKEN=token)
        if zaal:
            print(f"{titel}: {url}  (op deze laptop; stoppen: Ctrl+C)", flush=True)
            print(f"Voor de zaal: {zaal_url}", flush=True)
            print(f"Zaalmodus: telefoons in dit netwerk openen de pagina met de QR-code op het scherm, of met de "
                  f"code {code}. {pool} pagina's worden nu klaargezet voor wie binnenkomt; hoogstens {limit} "
                  "bezoekers tegelijk.", flush=True)
        else:
            print(f"{titel}: {url}  (stoppen: Ctrl+C)", flush=True)
        if open_browser and preheat:
            # Open the browser once the preheated kernel has drawn the page, not while it is still
            # computing: the first visitor then gets a finished page at once.
            threading.Thread(target=_open_when_ready, args=(ready, url), daemon=True).start()
        if nabewerken and notebook_name == DASHBOARD:
            threading.Thread(target=_full_pass_loop, args=(proj.root, stopping), daemon=True).start()
        voila = subprocess.Popen(voila_command(notebook, port=port, open_browser=open_browser and not preheat,
                                               preheat=preheat, opruimen=opruimen, max_kernels=limit,
                                               ip="0.0.0.0" if zaal else "127.0.0.1", code_bestand=code_bestand,
                                               pool=pool, reserve=max(1, min(pool, 2 + pool // 10)),
                                               data_dir=data_dir),
                                 env=env, cwd=notebook.parent, start_new_session=True)
        started.insert(0, voila)
        while voila.poll() is None and not asked:
            time.sleep(0.2)
        return 0 if asked else voila.returncode
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        kernels = _stop_all(started)
        stopping.set()
        if code_bestand is not None:
            code_bestand.unlink(missing_ok=True)  # Voila deletes it when it starts; this covers a failed start
        if bijeenkomst is not None:
            from wijkkit.kenniskring.agenda import stop_bijeenkomst

            stop_bijeenkomst(proj.open_store(), bijeenkomst)
        if nabewerken and notebook_name == DASHBOARD:
            _full_pass_once(proj.root)
        if started:
            print(f"{titel} gestopt: de pagina, {kernels} kernel(s)" + (" en de rekenaar" if len(started) > 1 else "")
                  + " zijn uit.", flush=True)


def trust(notebook: Path, data_dir: Path) -> None:
    """Sign the served notebook with a key of this project's server (``jupyter trust``, in its own folder), so
    Voila does not warn "not trusted" once per kernel. Served pages are computed afresh; nothing stored in the
    notebook is shown, so this trusts no one's output."""
    import nbformat
    from nbformat.sign import NotebookNotary

    notary = NotebookNotary(data_dir=str(data_dir))
    nb = nbformat.read(notebook, as_version=4)
    if not notary.check_signature(nb):
        notary.sign(nb)


def zaal_pool(limit: int, verwacht: int = 40) -> int:
    """Pages computed before the QR code goes up: as many as the room is expected to bring, within the memory
    rule (``limit``, which counts the pool too) and keeping a few places for visitors beyond the pool."""
    return max(1, min(verwacht, limit - max(2, limit // 10)))


def kernel_limit(per_kernel_mb: int = 150, reserve_mb: int = 2500) -> int:
    """How many visitors at once, from this machine's memory: what is free after a reserve for the server and the
    rekenaar, divided by what one visitor's kernel was measured to take (benchmarks/bench_kenniskring_load.py)."""
    try:
        import psutil

        available = psutil.virtual_memory().available / 1e6
    except Exception:  # without psutil: the earlier fixed number
        return 12
    return max(4, min(100, int((available - reserve_mb) // per_kernel_mb)))


def _start_rekenaar(root: Path, env: dict, bijeenkomst: int | None) -> tuple[subprocess.Popen, tuple[int, str]]:
    """The rekenaar process; its first line says its port and secret."""
    import secrets

    token = secrets.token_urlsafe(24)
    args = [sys.executable, "-m", "wijkkit.kenniskring.rekenaar", str(root)]
    if bijeenkomst is not None:
        args += ["--bijeenkomst", str(bijeenkomst)]
    proc = subprocess.Popen(args, env={**env, "WIJKKIT_REKENAAR_TOKEN": token}, stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    line = proc.stdout.readline().split()
    if len(line) != 2:
        proc.kill()
        raise WijkkitInputError(Probleem("rekenaar", "een rekenaar die de cijfers en verhalen van het project kan "
                                         "klaarzetten (zie de melding hierboven)", gevonden="gestopt", plek="dienst"))
    return proc, (int(line[0]), line[1])


def _stop_all(processes: list[subprocess.Popen], timeout: float = 20) -> int:
    """SIGTERM to each process group (Voila stops its kernels itself), then SIGKILL what is left; returns how many
    kernels there were."""
    import psutil

    kernels = 0
    for proc in processes:
        try:
            kernels += sum("ipykernel_launcher" in " ".join(c.cmdline())
                           for c in psutil.Process(proc.pid).children(recursive=True))
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    for proc in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.time() + timeout
    for proc in processes:
        try:
            proc.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # whatever of its group did not stop
    return kernels


def _full_pass_once(root: Path) -> None:
    try:
        subprocess.run([sys.executable, "-m", "wijkkit.kenniskring.nabewerking", str(root)], check=False, timeout=600)
    except Exception as exc:  # stopping must not hang on it
        print(f"Nabewerking van duidingen mislukt: {exc}", file=sys.stderr, flush=True)


def _open_when_ready(ready: Path, url: str, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and not ready.exists():
        time.sleep(0.3)
    webbrowser.open(url)


def _lager() -> None:
    os.nice(10)


def _full_pass_loop(root: Path, stop: threading.Event, every: float = 30) -> None:
    """Now and then, give lightly pseudonymised duidingen the full pass in a process of their own."""
    from wijkkit.kenniskring.duiding import wachtend

    store = Project.load(root).open_store()
    while not stop.wait(every):
        try:
            if wachtend(store):
                # at a lower priority: the name model loads for seconds, the room's pages come first
                subprocess.run([sys.executable, "-m", "wijkkit.kenniskring.nabewerking", str(root)], check=False,
                               timeout=600, preexec_fn=_lager if hasattr(os, "nice") else None)
        except Exception as exc:  # the page must go on; the next round tries again
            print(f"Nabewerking van duidingen mislukt: {exc}", file=sys.stderr, flush=True)


