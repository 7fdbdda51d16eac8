"""wijkkit beheer: the care of a project in one place: the key of the originals, a backup and putting it back.

The commands themselves live where they did (``cli.project`` for the key, ``cli.server`` for the store); this
group gathers them, so that the top level shows the steps of the cycle and one group for the care. The old
groups (``wijkkit sleutel ...``, ``wijkkit store ...``) still run, hidden, and say their new name in one line.
"""

from __future__ import annotations

from wijkkit.cli import project, server
from wijkkit.cli.nederlands import groep

app = groep("Zorg voor het project: de sleutel van de originele teksten, een back-up maken en terugzetten.")
app.add_typer(project.sleutel_app, name="sleutel")
app.command("backup")(server.store_backup)
app.command("herstel")(server.store_herstel)

# Earlier groups -> their commands now under 'wijkkit beheer' (old group, old command, new path, the function)
OUDE_GROEPEN = {
    "sleutel": {"controleer": ("beheer sleutel controleer", project.sleutel_controleer),
                "ontsleutel": ("beheer sleutel ontsleutel", project.sleutel_ontsleutel),
                "roteer": ("beheer sleutel roteer", project.sleutel_roteer)},
    "store": {"backup": ("beheer backup", server.store_backup),
              "herstel": ("beheer herstel", server.store_herstel)},
}
