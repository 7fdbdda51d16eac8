"""A hostile copy of the demo project: attack payloads and identifying details wherever people type.

Payloads (script, event handlers, svg, iframe srcdoc, javascript:/data: links, style, Markdown
links and images, Vega-breaking quotes and backslashes, spreadsheet formulas) go into story
texts of every consent level, story metadata, coder names, memos and duiding notes. Canaries
(one of every identifier kind the pseudonymiser must catch) go into story texts, file names
that become story ids, and collectors. Every payload carries a marker ``wkpwnNN``: if a marker
shows up in a tag, an attribute or a script, that payload is live.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import lxml.html
import yaml

from tests.conftest import ROOT

MARK = "wkpwn"
PAYLOADS = [
    "<script>alert('wkpwn01')</script>",
    "<img src=x onerror=alert('wkpwn02') class=wkpwn02>",
    "<svg onload=alert('wkpwn03') id=wkpwn03>",
    "<svg><script>alert('wkpwn04')</script></svg>",
    "<iframe srcdoc=\"<script>alert('wkpwn05')</script>\" id=wkpwn05></iframe>",
    "<a href=\"javascript:alert('wkpwn06')\" id=wkpwn06>klik hier</a>",
    "[wkpwn07 klik](javascript:alert('wkpwn07'))",
    "![wkpwn08](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<style>/*wkpwn09*/body{display:none}</style>",
    "<div style=\"position:fixed;top:0;left:0;width:100%;height:100%;background:red\" id=wkpwn10>",
    "\"><img src=x onerror=alert('wkpwn11') id=wkpwn11>",
    "'><svg/onload=alert('wkpwn12') id=wkpwn12>",
    "</textarea><script>alert('wkpwn13')</script>",
    "</script><script>alert('wkpwn14')</script>",
    "<details open ontoggle=alert('wkpwn15') id=wkpwn15>",
    "<object data=\"javascript:alert('wkpwn16')\" id=wkpwn16></object>",
    "<embed src=\"data:text/html,<script>alert('wkpwn17')</script>\" id=wkpwn17>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('wkpwn18') id=wkpwn18>",
    "{{constructor.constructor('alert(\"wkpwn19\")')()}}",
    "${alert('wkpwn20')} `+alert('wkpwn20')+`",
    "wkpwn21 \" ' \\ \\\\\" }} {\"signal\": \"alert(1)\"} \\u2028 ]]>",
    "\\\"); alert('wkpwn22'); //",
    "=HYPERLINK(\"http://evil.example/wkpwn23\",\"klik\")",
    "=cmd|' /C calc'!A0 wkpwn24",
    "+SUM(1+1)*cmd|' /C calc'!A0 wkpwn25",
    "-2+3+cmd|' /C calc'!A0 wkpwn26",
    "@SUM(1+1) wkpwn27",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('wkpwn28')\">",
    "<form action=\"javascript:alert('wkpwn29')\"><input type=submit id=wkpwn29></form>",
    "<base href=\"javascript:alert('wkpwn30')//\">",
    "**wkpwn31 vet** en _wkpwn31 schuin_",
    "<link rel=stylesheet href=\"data:text/css,body{display:none}\" id=wkpwn32>",
]
FORMULAS = [p for p in PAYLOADS if p.startswith(("=", "+", "-", "@"))]

# One of every identifier kind; the story ids from file names and the collectors hold some too.
CANARY_TEXTS = [
    "Stort het op NL91 ABNA 0417 1643 00 voor de buurtkas, zegt de penningmeester.",
    "De auto met kenteken VW-789-K en de scooter 12-ABC-3 racen door de straat.",
    "ik sprak met jan jansen over het buurthuis dat dicht is.",
    "Volgens KARIMA OUALI is de speeltuin te klein voor de kinderen.",
    "De familie Haddou helpt iedereen in de portiek.",
    "Gisteren kwam Xiomara langs met soep voor de eenzame buren.",
    "Mijn broer is te bereiken op +32 470 12 34 56, hij helpt met de huur.",
    "Mijn BSN is 1234 56 782 en de gemeente luistert niet.",
    "Oma (geb. 1-1-'50) woont hier het langst en is trots op de wijk.",
    "Volg de buurtmaaltijd op @fatima_b voor nieuws over de buren.",
    "Ik woon in de Bloemstraat (nummer 7) en de stoep is kapot.",
    "Mail j.jansen [at] gmail [dot] com over de schimmel in de woning.",
    "Ik ben 78 en voel me eenzaam sinds het buurthuis dicht is.",
    "Het meisje van de Vermeulens speelt alleen in de speeltuin.",
    "Jan de Vries (06-12345678) zei dat de straatlantaarns kapot zijn.",
]
CANARY_STRINGS = ["NL91 ABNA 0417 1643 00", "0417 1643", "VW-789-K", "12-ABC-3", "jan jansen", "KARIMA", "OUALI",
                  "Haddou", "Xiomara", "470 12 34 56", "1234 56 782", "1-1-'50", "@fatima_b", "Bloemstraat",
                  "j.jansen", "ik ben 78", "Vermeulens", "Jan de Vries", "06-12345678", "0612345678",
                  "Sanne de Vries", "Pietje Puk"]
CANARY_FILES = {"interview-jan-jansen-0612345678": "Het buurthuis is dicht en de jongeren hangen op straat.",
                "gesprek-pietje-puk": "De gemeente belooft veel maar doet niets aan het afval."}
GEBIEDEN = ["BU99990301", "BU99990302", "BU99990303", "BU99990201", "BU99990202"]
CONSENTS = ["citeren-anoniem", "analyse", "none"]
HOSTILE_CODER = "Codeur <img src=x onerror=alert('wkpwn40') id=wkpwn40>"


def _story(folder: Path, name: str, text: str, *, gebied: str, toestemming: str, verzamelaar: str = "",
           datum: str = "2024-03-15") -> None:
    meta = {"gebied": gebied, "methode": "straatgesprek", "verteller_rol": "bewoner", "toestemming": toestemming,
            "datum": datum}
    if verzamelaar:
        meta["verzamelaar"] = verzamelaar
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    (folder / f"{name}.md").write_text(f"---\n{head}---\n{text}\n", encoding="utf-8")


def build(target: Path) -> Path:
    """Copy the demo project to ``target`` and add hostile stories (in ``stories/vijandig``)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("wijkkit.toml", "codebook.yml", "indicatoren.yml", "verandertheorie.yml"):
        shutil.copy(ROOT / name, target / name)
    for folder in ("data", "notebooks", "stories"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    toml = target / "wijkkit.toml"
    toml.write_text(re.sub(r'^naam = ".*"$', "naam = \"Lindehoven <b id=wkpwn41>(vijandig)</b>\"",
                           toml.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    folder = target / "stories" / "vijandig"
    folder.mkdir()
    for i, payload in enumerate(PAYLOADS):
        # the payload sits inside a sentence with theme words, so it is suggested, coded and quoted
        text = (f"Het buurthuis is dicht {payload} en dat vinden we jammer voor de buurt. "
                f"De speeltuin is kapot en vies {payload} sinds vorig jaar.")
        for k, consent in enumerate(CONSENTS):
            _story(folder, f"aanval-{i:02d}-{k}", text, gebied=GEBIEDEN[(i + k) % len(GEBIEDEN)], toestemming=consent,
                   verzamelaar=payload if k == 1 else "", datum=f"202{3 + k}-0{1 + i % 9}-15")
    for i, payload in enumerate(FORMULAS):  # a story that starts with a formula, as in a spreadsheet attack
        _story(folder, f"aanval-formule-{i}", f"{payload} Het buurthuis is dicht en dat is jammer.",
               gebied=GEBIEDEN[i % len(GEBIEDEN)], toestemming="citeren-anoniem")
    for i, text in enumerate(CANARY_TEXTS):
        for k, consent in enumerate(CONSENTS):
            _story(folder, f"kanarie-{i:02d}-{k}", text + " Het buurthuis is vaak dicht, jammer.",
                   gebied=GEBIEDEN[i % len(GEBIEDEN)], toestemming=consent,
                   verzamelaar="Sanne de Vries" if i % 2 else "")
    for name, text in CANARY_FILES.items():
        _story(folder, name, text, gebied="BU99990301", toestemming="citeren-anoniem", verzamelaar="Pietje Puk")
    return target


def code_and_annotate(project) -> None:
    """A hostile coder accepts suggestions on the hostile stories, writes memos; a circle writes duidingen."""
    from sqlalchemy import select

    from wijkkit.coderen import beslissingen as b
    from wijkkit.kenniskring.duiding import add_duiding
    from wijkkit.store.models import Coding, Story

    store = project.open_store()
    with store.read() as session:
        suggestions = session.execute(select(Coding.id, Coding.story_id).join(Story, Story.id == Coding.story_id)
                                      .where(Coding.status == "suggested", Story.bron.like("aanval-%"),
                                             Story.toestemming != "none")).all()
    for sid, story_id in suggestions:
        b.decide(store, codeur=HOSTILE_CODER, story_id=story_id, status="accepted", suggestie_id=sid)
    for story_id in {story_id for _, story_id in suggestions if "formule" in story_id}:
        b.decide(store, codeur=HOSTILE_CODER, story_id=story_id, status="manual", thema="voorzieningen",
                 valentie="knelpunt")  # on the whole story: its text, formula first, is the fragment
    for i, payload in enumerate(PAYLOADS[:12]):
        story_id = suggestions[i][1]
        store.add_memo(codeur=HOSTILE_CODER, tekst=f"Memo {payload}", story_id=story_id)
        store.add_memo(codeur=HOSTILE_CODER, tekst=f"Codememo {payload}", story_id=story_id, thema="voorzieningen")
        b.mark_done(store, story_id, HOSTILE_CODER)
    for i, payload in enumerate(PAYLOADS):
        add_duiding(store, gebied=["WK999903", "WK999902"][i % 2], thema="voorzieningen", datum=date(2026, 11, 1 + i % 20),
                    wat_zien_we=f"We zien {payload}", verklaring=f"Omdat {payload}", wat_willen_we=f"Actie {payload}",
                    aanwezigen={"bewoner": 3})


MARKER = re.compile(r"wkpwn\d\d")
RENDERED_MARKUP = {"strong", "em", "a", "img", "iframe", "object", "embed", "base", "meta", "form", "input",
                   "details", "math", "link"}
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


def live_payloads(page: str) -> set[str]:
    """Markers of payloads that became markup: in a tag or attribute, in a script or style, or as
    an element that Markdown or HTML interpretation would create. Escaped text is never live."""
    live: set[str] = set()
    for el in lxml.html.fromstring(page).iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        live |= set(MARKER.findall(tag + " " + " ".join(f"{k} {v}" for k, v in el.attrib.items())))
        if tag == "style" or (tag == "script" and el.get("type", "").lower() in SCRIPT_TYPES):
            live |= set(MARKER.findall(el.text_content()))
        if tag in RENDERED_MARKUP:
            live |= set(MARKER.findall(el.text_content()))
        if tag == "a" and el.get("href", "").strip().lower().startswith("javascript:"):
            live.add("javascript-link")
    return live


def hostile_qdpx(target: Path) -> Path:
    """A REFI-QDA project from 'another tool' with payloads in texts, notes, names and variables."""
    import zipfile
    from xml.sax.saxutils import escape, quoteattr

    ns = "urn:QDA-XML:project:1.0"
    g = lambda n: f"00000000-0000-4000-8000-{n:012d}"  # noqa: E731
    sources, notes = [], []
    for i, payload in enumerate(PAYLOADS[:12]):
        text = f"Het buurthuis is dicht {payload} en de koffieochtend is weg."
        start = text.index("Het")
        notes.append(f'<Note guid="{g(500 + i)}" name={quoteattr("Notitie " + payload)}>'
                     f"<PlainTextContent>{escape('Notitie ' + payload)}</PlainTextContent></Note>")
        sources.append(
            f'<TextSource guid="{g(100 + i)}" name="qda-aanval-{i:02d}"><PlainTextContent>{escape(text)}'
            f'</PlainTextContent><PlainTextSelection guid="{g(200 + i)}" startPosition="{start}" '
            f'endPosition="{len(text)}" creatingUser="{g(1)}"><Description>{escape("Codememo " + payload)}'
            f'</Description><Coding guid="{g(300 + i)}"><CodeRef targetGUID="{g(900)}"/></Coding>'
            f'</PlainTextSelection><NoteRef targetGUID="{g(500 + i)}"/>'
            f'<VariableValue><VariableRef targetGUID="{g(800)}"/><TextValue>{escape(payload)}</TextValue>'
            f'</VariableValue><VariableValue><VariableRef targetGUID="{g(801)}"/><TextValue>{escape(payload)}'
            f'</TextValue></VariableValue></TextSource>')
    xml = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{ns}" name="vijandig" origin="MAXQDA 24">'
           f'<Users><User guid="{g(1)}" name={quoteattr(HOSTILE_CODER)}/></Users>'
           f'<CodeBook><Codes><Code guid="{g(900)}" name={quoteattr("Ontmoeten " + PAYLOADS[1])} isCodable="true"/>'
           f'</Codes></CodeBook><Variables><Variable guid="{g(800)}" name="verzamelaar" typeOfVariable="Text"/>'
           f'<Variable guid="{g(801)}" name="opmerking" typeOfVariable="Text"/></Variables>'
           f'<Sources>{"".join(sources)}</Sources><Notes>{"".join(notes)}</Notes></Project>')
    path = target / "vijandig.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
    return path
