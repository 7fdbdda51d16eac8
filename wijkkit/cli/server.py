"""wijkkit server and wijkkit store: a team server (JupyterHub + PostgreSQL) and the store's back-ups."""

from __future__ import annotations

import secrets
import signal
import subprocess
import sys
from pathlib import Path
from typing import Optional

import typer

from wijkkit.cli.gemeen import ProjectOpt, console, fail
from wijkkit.cli.nederlands import groep
from wijkkit.errors import Probleem, WijkkitInputError

app = groep("Teamserver: JupyterHub met een eigen JupyterLab per codeur, inloggen, rollen en PostgreSQL.")
store_app = groep("De store van het project: een back-up maken en terugzetten.")

MapOpt = typer.Option(..., "--map", help="De servermap van het project (bv. /srv/wijkkit/overvecht).")


def _say(text: str) -> None:
    console.print(text, markup=False, highlight=False)


@app.command()
def installeer(map: Path = typer.Option(Path("/opt/wijkkit"), "--map",
                                        help="Waar de gedeelde Python-omgeving komt."),
               python: str = typer.Option("/usr/bin/python3", help="De Python van het systeem (voor iedereen leesbaar).")
               ) -> None:
    """Installeer wijkkit, JupyterHub en de naamherkenning op een plek die elk teamlid kan gebruiken (als root)."""
    from wijkkit.server.opzet import installeer as doe

    try:
        doe(map, python=python, log=_say)
    except WijkkitInputError as exc:
        fail(exc)


@app.command()
def maak(map: Path = MapOpt, project: Path = ProjectOpt,
         runtime: Path = typer.Option(Path("/opt/wijkkit"), help="De map van 'wijkkit server installeer'."),
         poort: int = typer.Option(8000, help="Poort van de hub (de hub gebruikt ook de drie poorten erna)."),
         ip: str = typer.Option("127.0.0.1", help="Adres van de hub; 0.0.0.0 alleen achter HTTPS."),
         pg_hba: bool = typer.Option(False, "--pg-hba", help="Zet zelf de peer-regel in pg_hba.conf."),
         login: Optional[Path] = typer.Option(None, "--login", help="Een TOML-bestand met een [login]-tabel "
                                              "(soort = \"oidc\": inloggen via de instelling, zie README).")) -> None:
    """Richt de servermap van een project in: instellingen, geheimen, groepen en de PostgreSQL-rechten (als root)."""
    import tomllib

    from wijkkit.server.opzet import maak as doe

    try:
        instelling = tomllib.loads(login.read_text(encoding="utf-8")).get("login") if login else None
        doe(project, map, runtime, poort=poort, ip=ip, pg_hba=pg_hba, log=_say, login=instelling)
    except WijkkitInputError as exc:
        fail(exc)


@app.command()
def z2jh(instellingen: Path = typer.Option(Path("deploy/z2jh.toml"), help="De instellingen voor Kubernetes."),
         uit: Path = typer.Option(Path("deploy"), help="Map voor values.yaml, kenniskring.yaml en project.yaml.")
         ) -> None:
    """Schrijf de Zero to JupyterHub-values en de manifesten voor Kubernetes (dezelfde rollen als op één machine)."""
    from wijkkit.server.z2jh import CHART_VERSIE, schrijf

    try:
        for path in schrijf(instellingen, uit):
            _say(f"Geschreven: {path}")
    except WijkkitInputError as exc:
        fail(exc)
    _say(f"Chart jupyterhub/jupyterhub versie {CHART_VERSIE}: zie het README, 'Op Kubernetes'.")


@app.command()
def start(map: Path = MapOpt) -> None:
    """Start de hub, de proxy en de kenniskring-dienst; Ctrl+C of SIGTERM stopt alles."""
    from wijkkit.server.opzet import ServerMap, hub_url, start_command

    try:
        server = ServerMap(map.resolve())
        command, url = start_command(server), hub_url(server)
    except WijkkitInputError as exc:
        fail(exc)
    from wijkkit.server.opzet import adopt_orphans, stop_leftovers

    _say(f"wijkkit-server: {url}/hub/login  (stoppen: Ctrl+C)")
    adopt_orphans()
    proc = subprocess.Popen(command, cwd=server.map / "hub")

    def stop(signum, _frame):
        proc.send_signal(signal.SIGTERM)  # the hub stops its proxy, the labs and the services itself

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = proc.wait()
    left = stop_leftovers()
    if left:
        _say(f"Achtergebleven processen van de hub gestopt: {', '.join(left)}.")
    _say("wijkkit-server gestopt.")
    sys.exit(0 if code in (0, -signal.SIGTERM) else code)


@app.command()
def stop(map: Path = MapOpt) -> None:
    """Stop de hub, de proxy, alle labs en de kenniskring-dienst (als root)."""
    from wijkkit.server.opzet import ServerMap
    from wijkkit.server.opzet import stop as doe

    try:
        if not doe(ServerMap(map.resolve()), log=_say):
            _say("De wijkkit-server draaide niet.")
    except WijkkitInputError as exc:
        fail(exc)


@app.command()
def verwijder(map: Path = MapOpt,
              database: bool = typer.Option(
                  False, "--ook-database", help="Verwijder ook de database met alle verhalen en beslissingen.")
              ) -> None:
    """Verwijder de server: hub, systeemgebruikers, databaserollen, groepen en servermap (als root).
    De projectmap blijft, en de database ook, tenzij --ook-database."""
    from wijkkit.server.opzet import ServerMap
    from wijkkit.server.opzet import verwijder as doe

    try:
        doe(ServerMap(map.resolve()), database=database, log=_say)
    except WijkkitInputError as exc:
        fail(exc)


@app.command()
def gebruiker(naam: str = typer.Argument(..., help="Gebruikersnaam, bv. anna; of 'verwijder' gevolgd door de naam."),
              wie: Optional[str] = typer.Argument(None, help="Na 'verwijder': wie het team verlaat."),
              rol: Optional[str] = typer.Option(None, "--rol", help="coördinator, codeur of gast."),
              map: Path = MapOpt,
              wachtwoord: Optional[str] = typer.Option(
                  None, help="Eenmalig wachtwoord (leeg: wijkkit maakt er een en toont het één keer).")) -> None:
    """Maak een account (of geef iemand een andere rol of een nieuw eenmalig wachtwoord), of verwijder iemand met
    'gebruiker verwijder NAAM'; de hub moet draaien. Een wachtwoord dat je hier zet werkt één keer: het lid kiest
    bij het inloggen een eigen wachtwoord."""
    import json
    import urllib.error
    import urllib.request

    from wijkkit.server.opzet import ServerMap, hub_url, remove_member
    from wijkkit.server.rollen import ROL_LABEL, hub_naam
    from wijkkit.server.rollen import rol as check_rol

    if naam == "verwijder":
        try:
            if not wie:
                raise WijkkitInputError(Probleem("gebruiker verwijder", "de naam van wie het team verlaat",
                                                 gevonden="geen naam", plek="opdracht"))
            remove_member(ServerMap(map.resolve()), wie, log=_say)
        except WijkkitInputError as exc:
            fail(exc)
        return
    try:
        if rol is None:
            raise WijkkitInputError(Probleem("--rol", "een van: coördinator, codeur, gast", gevonden="niets",
                                             plek="optie"))
        naam, soort = hub_naam(naam), check_rol(rol)
        server = ServerMap(map.resolve())
        token, url = server.geheim("beheer_token"), hub_url(server)
    except (WijkkitInputError, OSError) as exc:
        fail(exc if isinstance(exc, WijkkitInputError) else WijkkitInputError(
            Probleem(str(map), "een servermap van 'wijkkit server maak' (als root)", gevonden=str(exc), plek="map")))
    gemaakt = wachtwoord is None
    wachtwoord = wachtwoord or secrets.token_urlsafe(12)
    request = urllib.request.Request(f"{url}/hub/api/wijkkit/gebruikers", method="POST",
                                     data=json.dumps({"naam": naam, "rol": soort, "wachtwoord": wachtwoord}).encode(),
                                     headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30):
            pass
    except urllib.error.HTTPError as exc:
        reden = str(json.loads(exc.read() or b"{}").get("message", exc.reason))
        # the hub's reason is the whole expectation (a password's rules, a name's): never cut off
        fail(WijkkitInputError(Probleem("--wachtwoord" if "wachtwoord" in reden else "de hub", reden.rstrip("."),
                                        gevonden="geweigerd door de hub", plek="optie" if "wachtwoord" in reden
                                        else "dienst")))
    except OSError as exc:
        fail(WijkkitInputError(Probleem(url, "een draaiende hub (start hem met 'wijkkit server start --map ...')",
                                        gevonden=str(exc), plek="dienst")))
    _say(f"Account {naam}: {ROL_LABEL[soort]}." + (f" Eenmalig wachtwoord (één keer getoond): {wachtwoord}"
                                                    if gemaakt else "")
         + f" Bij het inloggen kiest {naam} een eigen wachtwoord ({url}/hub/wijkkit/wachtwoord?naam={naam}).")


@store_app.command("backup")
def store_backup(uitvoer: Path = typer.Option(..., "--uitvoer", help="Bestand voor de back-up."),
                 project: Path = ProjectOpt) -> None:
    """Maak een back-up van de store (PostgreSQL: pg_dump; SQLite: de backup-API) met een controlebestand."""
    from wijkkit.config import Project
    from wijkkit.store.backup import backup

    try:
        verslag = backup(Project.load(project), uitvoer)
    except WijkkitInputError as exc:
        fail(exc)
    _say(verslag.regel("Bewaard"))


@store_app.command("herstel")
def store_herstel(bestand: Path = typer.Argument(..., help="De back-up van 'wijkkit beheer backup'."),
                  project: Path = ProjectOpt) -> None:
    """Zet een back-up terug (de store wordt vervangen) en controleer elke tabel tegen de back-up."""
    from wijkkit.config import Project
    from wijkkit.store.backup import herstel

    try:
        verslag = herstel(Project.load(project), bestand)
    except WijkkitInputError as exc:
        fail(exc)
    _say(verslag.regel("Hersteld en gecontroleerd"))

