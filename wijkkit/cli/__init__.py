"""The ``wijkkit`` command, grouped by the cycle: tellen, vertellen, coderen, kenniskring, monitoring.

Ten at the top, no more: ``init``, the steps of the cycle (``tellen``, ``vertellen``, ``schouw``, ``coderen``,
``kenniskring``, ``monitoring``), ``demo``, ``beheer`` (the care of a project: key, backup, restore) and ``server``
(a team on JupyterHub).

One module per group; every name, option and message is Dutch (``--project``, ``--gebied``,
``--thema``, ``--uitvoer`` mean the same everywhere). The names of earlier versions still work as
hidden aliases that say, in one line, what the command is called now.
"""

from __future__ import annotations

import functools

from wijkkit.cli import beheer, coderen, kenniskring, monitoring, project, schouw, server, tellen, vertellen
from wijkkit.cli.gemeen import err
from wijkkit.cli.nederlands import Commando, groep

app = groep("wijkkit: tellen en vertellen in de wijk. Begin met 'wijkkit init MAP' of 'make demo'.")
app.command("init")(project.init)
for name, group in (("tellen", tellen.app), ("vertellen", vertellen.app), ("schouw", schouw.app),
                    ("coderen", coderen.app),
                    ("kenniskring", kenniskring.app), ("monitoring", monitoring.app), ("demo", project.demo_app),
                    ("beheer", beheer.app), ("server", server.app)):
    app.add_typer(group, name=name)

# Earlier names -> (group, command, the function behind it). Scripts and READMEs out there keep working.
ALIASSEN = {
    "cijfers": ("tellen", "cijfers", tellen.cijfers),
    "profiel": ("tellen", "profiel", tellen.profiel),
    "indicatoren": ("tellen", "indicatoren", tellen.indicatoren),
    "cbs-ophalen": ("tellen", "ophalen", tellen.ophalen),
    "import-stories": ("vertellen", "importeer", vertellen.importeer),
    "tag": ("vertellen", "tag", vertellen.tag),
    "evaluate-tagger": ("vertellen", "evalueer", vertellen.evalueer),
    "werkbank": ("coderen", "werkbank", coderen.werkbank),
    "toewijzen": ("coderen", "toewijzen", coderen.toewijzen),
    "betrouwbaarheid": ("coderen", "betrouwbaarheid", coderen.betrouwbaarheid),
    "leer": ("coderen", "leer", coderen.leer),
    "exporteer": ("coderen", "exporteer", coderen.exporteer),
    "importeer-qda": ("coderen", "importeer", coderen.importeer),
    "dashboard": ("kenniskring", "dashboard", kenniskring.dashboard),
    "rapport": ("monitoring", "rapport", monitoring.rapport),
    "reproduce": ("monitoring", "reproduceer", monitoring.reproduceer),
    "demo-data": ("demo", "cijfers", project.demo_cijfers),
    "demo-codering": ("demo", "codering", project.demo_codering),
}


def _alias(old: str, group: str, command: str, func):
    @functools.wraps(func)
    def run(*args, **kwargs):
        err.print(f"Let op: 'wijkkit {old}' heet nu 'wijkkit {group} {command}'.", highlight=False, markup=False,
                  soft_wrap=True)
        return func(*args, **kwargs)
    return run


for _old, (_group, _command, _func) in ALIASSEN.items():
    app.command(_old, hidden=True, cls=Commando)(_alias(_old, _group, _command, _func))

# Earlier groups ('wijkkit sleutel roteer', 'wijkkit store backup'): hidden, each command says where it is now.
for _old_group, _commands in beheer.OUDE_GROEPEN.items():
    _hidden = groep("Oude naam: zie 'wijkkit beheer'.", hidden=True)
    for _command, (_new, _func) in _commands.items():
        _hidden.command(_command)(_alias(f"{_old_group} {_command}", *_new.rsplit(" ", 1), _func))
    app.add_typer(_hidden, name=_old_group, hidden=True)


def main() -> None:
    """The console entry point (bad input anywhere in a command is one Dutch message: see ``Groep.main``)."""
    app()
