"""Store a schouw export in the project: checked whole, placed in buurten, remarks pseudonymised, one transaction.

A GPS point is placed in the buurt whose shape on the project's buurtkaart holds it (point in polygon); a chosen
buurt is taken as it is. Remarks are text from people and are pseudonymised like stories. Photos are copied into
``schouw/fotos`` in the project with the consent the walker gave; only consented ones ever reach a public page.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from wijkkit.errors import Probleem, WijkkitInputError
from wijkkit.kijken.koppeling import koppeling_uit
from wijkkit.kijken.lezen import Schouwbestand, read_schouw
from wijkkit.kijken.onderdelen import onderdelen as catalogue_onderdelen
from wijkkit.kijken.waarnemingen import COLUMNS, waarnemingen  # noqa: F401  (read where they were)
from wijkkit.store.models import Import, Schouwpunt

if TYPE_CHECKING:  # a Project is passed in; the schouw sits below the project settings (docs/architectuur.md)
    from wijkkit.config import Project

FOTO_MAP = Path("schouw") / "fotos"
VERSLAG_MAP = Path("schouw") / "verslagen"


@dataclass
class SchouwVerslag:
    bestand: str
    bron: str
    nieuw: int
    al_bekend: int
    fotos: int
    fotos_ontbreken: int
    gepseudonimiseerd: int
    gelezen: int = 0
    weggelaten: int = 0
    verslag: Path | None = None  # the Dutch report of the rows left out and the columns not read
    niet_gekoppeld: dict[str, str] = field(default_factory=dict)
    ingekort: int = 0
    extra_fotos: int = 0


def buurten(project: Project, shapes=None) -> dict[str, str]:
    """The project's buurten (code -> name): from its figures, and the shapes of its buurtkaart (``shapes``, when
    the caller has read them already)."""
    found: dict[str, str] = {}
    try:
        cijfers = project.load_indicators()
    except Exception:  # a project may walk before it has figures; its map still names the buurten
        cijfers = None
    if cijfers is not None and len(cijfers):
        rows = cijfers[(cijfers["niveau"] == "buurt") & (cijfers["gemeente_code"] == project.config.project.gemeente)]
        found.update(rows[["gebied_code", "gebied_naam"]].drop_duplicates("gebied_code").astype(str).itertuples(
            index=False, name=None))
    shapes = kaart(project) if shapes is None else shapes
    if shapes is not None:
        for code, naam in zip(shapes["gebied_code"], shapes.get("gebied_naam", shapes["gebied_code"])):
            if code.startswith("BU"):
                found.setdefault(code, str(naam) if naam else code)
    return dict(sorted(found.items()))


def kaart(project: Project):
    """The project's buurt shapes in WGS84, or None without a buurtkaart."""
    config = project.config.kaart
    if config is None or not config.bestand:
        return None
    from wijkkit.tellen.buurtkaart import read_geometry

    shapes = read_geometry(project.root / config.bestand, config.code, config.naam,
                           gemeente=project.config.project.gemeente)
    return shapes if len(shapes) else None


def plaatser(shapes):
    """``plaats(lat, lon)``: the code of the shape holding the point (the smallest, where shapes overlap)."""
    if shapes is None:
        return None
    from shapely import Point
    from shapely.strtree import STRtree

    geometries = list(shapes.geometry)
    codes = list(shapes["gebied_code"])
    tree = STRtree(geometries)
    buurt_first = sorted(range(len(codes)), key=lambda i: (not codes[i].startswith("BU"), geometries[i].area))
    rank = {i: r for r, i in enumerate(buurt_first)}

    def plaats(lat: float, lon: float) -> str | None:
        hits = [int(i) for i in tree.query(Point(lon, lat), predicate="intersects")]
        return codes[min(hits, key=rank.__getitem__)] if hits else None
    return plaats


def import_schouw(project: Project, path: str | Path, *, fotos: str | Path | None = None, door: str = "",
                  store=None, alles_of_niets: bool = False) -> SchouwVerslag:
    """Read, check, place and store a schouw export in one transaction.

    The good rows are stored and every other one is written to a Dutch report in ``schouw/verslagen`` (row,
    column, value, why), with the columns nothing read; ``alles_of_niets`` keeps nothing unless every row is good.
    The project's ``[schouw]`` mapping is used when there is one, and only once a person confirmed it.
    """
    from wijkkit.privacy.project import project_pseudonimiseerder

    store = store or project.open_store()
    codebook = project.load_codebook()
    items = catalogue_onderdelen(project.catalogus)
    koppeling = koppeling_uit(project.config.schouw, items)
    if koppeling is not None and not koppeling.bevestigd:
        raise WijkkitInputError(Probleem(
            "wijkkit.toml [schouw]", "een koppeling die iemand heeft nagekeken: zet bevestigd = true als kolommen en "
            "waarden kloppen", kolom="bevestigd", soort="veld", gevonden="false"))
    shapes = kaart(project)
    gelezen = read_schouw(path, onderdelen=items, buurten=buurten(project, shapes), plaats=plaatser(shapes),
                          themas={t.id: t.label for t in codebook.themas}, fotos=fotos, koppeling=koppeling,
                          alles_of_niets=alles_of_niets)
    with store.read() as session:
        bekend = set(session.scalars(select(Schouwpunt.id).where(
            Schouwpunt.id.in_([w.id for w in gelezen.waarnemingen]))))
    nieuw = [w for w in gelezen.waarnemingen if w.id not in bekend]
    pseudo = project_pseudonimiseerder(project) if any(w.opmerking for w in nieuw) else None
    verslag = SchouwVerslag(gelezen.bestand, gelezen.bron, len(nieuw), len(bekend), 0, 0, 0, gelezen=gelezen.gelezen,
                            weggelaten=len({(p.bestand, p.rij) for p in gelezen.weggelaten}),
                            niet_gekoppeld=gelezen.niet_gekoppeld,
                            ingekort=gelezen.ingekort, extra_fotos=gelezen.extra_fotos)
    written: list[Path] = []
    try:
        with store.session() as session:
            record = Import(bron=f"schouw: {gelezen.bestand} ({gelezen.bron})"[:500], aantal=len(nieuw),
                            door=door[:200])
            session.add(record)
            session.flush()
            for w in nieuw:
                opmerking = w.opmerking
                if pseudo is not None and opmerking:
                    result = pseudo.pseudonymise(opmerking)
                    verslag.gepseudonimiseerd += sum(result.per_categorie.values())
                    opmerking = result.tekst
                foto = ""
                if w.foto:
                    data = gelezen.fotos.get(w.foto)
                    if data is None:
                        verslag.fotos_ontbreken += 1
                    else:
                        foto = _keep_photo(project, w.id, w.foto, data, written)
                        verslag.fotos += 1
                session.add(Schouwpunt(id=w.id, datum=w.datum, gebied=w.gebied, lat=w.lat, lon=w.lon, rol=w.rol,
                                       scores=w.scores, opmerking=opmerking, thema=w.thema, foto=foto,
                                       toestemming=w.toestemming, bron=f"{gelezen.bestand} ({gelezen.bron})"[:500],
                                       import_id=record.id))
    except BaseException:
        for photo in written:
            photo.unlink(missing_ok=True)
        raise
    if gelezen.weggelaten or gelezen.niet_gekoppeld:
        verslag.verslag = schrijf_verslag(project, gelezen)
    return verslag


def schrijf_verslag(project: Project, gelezen: Schouwbestand) -> Path:
    """The rows left out and the columns not read, as a Dutch CSV a team opens in a spreadsheet."""
    from wijkkit.weergave import spreadsheet_veilig

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = project.root / VERSLAG_MAP
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{Path(gelezen.bestand).name.split('.')[0]}-{stamp}"
    target, n = folder / f"{stem}.csv", 1
    while target.exists():  # two imports in one second keep both reports
        n += 1
        target = folder / f"{stem}-{n}.csv"
    rows = [[p.bestand, p.rij if p.rij is not None else "", p.kolom or "", p.gevonden or "",
             f"verwacht {p.verwacht}"] for p in gelezen.weggelaten]
    rows += [[gelezen.bestand, "", kolom, "", f"kolom niet ingelezen ({reden}): koppel hem in wijkkit.toml [schouw] "
              "of zet hem bij weglaten"] for kolom, reden in gelezen.niet_gekoppeld.items()]
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["bestand", "rij", "kolom", "waarde", "waarom"])
        writer.writerows([[spreadsheet_veilig(str(c)) for c in row] for row in rows])
    return target


def _keep_photo(project: Project, ident: str, name: str, data: bytes, written: list[Path]) -> str:
    """Copy a photo into the project under a name that says nothing about who took it."""
    suffix = Path(name).suffix.lower()[:6] if Path(name).suffix else ".jpg"
    relative = FOTO_MAP / (hashlib.sha256(ident.encode()).hexdigest()[:20] + suffix)
    target = project.root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    written.append(target)
    return relative.as_posix()
