"""A demo project with planted canaries: fictional names, phone numbers and addresses in stories."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.conftest import ROOT

# Two sentences: the first says something about the theme and may be quoted (pseudonymised); the
# second only says how to reach someone and is never a quote.
CANARY_SENTENCE = ("Mijn buurvrouw {naam} van de {adres} voelt zich erg eenzaam sinds de buurtkamer dicht is. "
                   "Bel haar gerust op {telefoon} of mail {email}.")
CANARIES = [
    {"naam": "Gertrude Vlasbloem", "adres": "Kwikstaartlaan 17", "telefoon": "06-98765432",
     "email": "g.vlasbloem@voorbeeld.nl"},
    {"naam": "Hendrika Zonneveld", "adres": "Reigerstraat 204", "telefoon": "06-11223344",
     "email": "h.zonneveld@voorbeeld.nl"},
    {"naam": "Wilhelmina Klaverstein", "adres": "Merelhof 3", "telefoon": "+31 6 5566 7788",
     "email": "wklaverstein@voorbeeld.nl"},
]
CANARY_STRINGS = sorted({v for c in CANARIES for v in c.values()} | {c["naam"].split()[1] for c in CANARIES}
                        | {c["adres"].split()[0] for c in CANARIES} | {"98765432", "11223344", "5566 7788"})
LINDENHOF = ("BU99990301", "BU99990302", "BU99990303")


def build(target: Path) -> tuple[Path, list[str]]:
    """Copy the demo project to ``target`` and plant a canary sentence in quotable Lindenhof stories."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("wijkkit.toml", "codebook.yml", "indicatoren.yml", "verandertheorie.yml"):
        shutil.copy(ROOT / name, target / name)
    for folder in ("data", "notebooks", "stories"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    planted = []
    for path in sorted((target / "stories").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        gebied = re.search(r"^gebied: (\S+)", text, re.M).group(1)
        if gebied in LINDENHOF and "toestemming: citeren-anoniem" in text:
            canary = CANARIES[len(planted) % len(CANARIES)]
            path.write_text(text.rstrip("\n") + " " + CANARY_SENTENCE.format(**canary) + "\n", encoding="utf-8")
            planted.append(path.stem)
    return target, planted


def coded_demo(target: Path):
    """The demo project built at ``target`` with its stories imported and every suggestion accepted by one coder:
    what browser and page tests need to see charts and quotes (an import takes a while: build it once per module)."""
    from tests.conftest import team_accepts_suggestions
    from wijkkit.config import Project
    from wijkkit.vertellen.importeren import import_stories

    root, _ = build(target)
    project = Project.load(root)
    import_stories(project, root / "stories", door="test")
    team_accepts_suggestions(project)
    return project
