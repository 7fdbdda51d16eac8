"""A wijkkit project: a folder with wijkkit.toml, codebook.yml, data/, stories/, notebooks/."""

from __future__ import annotations

import os
import re
import shutil
import tomllib
import uuid
from functools import cached_property
from importlib import resources
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from wijkkit.errors import Probleem, WijkkitInputError
from wijkkit.yamlfile import read_settings_text, validate_model

STORE_URL_ENV = "WIJKKIT_STORE_URL"  # set per member by the hub on Kubernetes (wijkkit.server.kube)

CONFIG_NAME = "wijkkit.toml"


class ProjectInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(default=None, pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    naam: str
    # the project's own gemeente: every figure, list and reference is about it ("" until it is chosen)
    gemeente: str = Field(default="", pattern=r"^(GM\d{4})?$")
    gebieden: list[str] = Field(default_factory=list)  # gebieden in focus


class Bestand(BaseModel):
    """A municipal file in its own format, with the columns that matter named."""

    model_config = ConfigDict(extra="forbid")
    pad: str
    gebied: str
    jaar: str | int
    naam: str | None = None
    bron: str | None = None
    sheet: str | int = 0
    indicatoren: dict[str, str] | list[str] | None = None
    eenheden: dict[str, str] = Field(default_factory=dict)

    def mapping(self) -> dict:
        return self.model_dump(exclude={"pad"}, exclude_none=True)


class Tellen(BaseModel):
    model_config = ConfigDict(extra="forbid")
    data: str = "data"
    referentie: str = "gemeente"
    catalogus: str | None = None
    bestanden: list[Bestand] = Field(default_factory=list)
    online: list[int] = Field(default_factory=list)  # KWB years fetched with 'wijkkit tellen ophalen'
    # gebieden of other gemeenten kept for comparison (a national file holds them all; the project keeps these)
    vergelijk: list[str] = Field(default_factory=list)



class Privacy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    drempel: int = Field(default=5, ge=1)
    originelen_bewaren: bool = False


class Store(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = "sqlite:///wijkkit.db"


class Coderen(BaseModel):
    model_config = ConfigDict(extra="forbid")
    leermodel: bool = False  # add suggestions of the classifier learned with 'wijkkit coderen leer'
    minimum_per_thema: int = Field(default=10, ge=2)  # accepted codings a theme needs before it is learned
    # the confidence from which the werkbank shows a suggestion without asking; None: per theme the threshold
    # chosen out of fold for precision >= 0.85 (wijkkit.vertellen.zekerheid), the rest as "misschien"
    drempel: float | None = Field(default=None, ge=0, le=1)


class Kaart(BaseModel):
    """Buurt or wijk polygons for the map (GeoJSON or GeoPackage); without it the map is a sorted bar list of the buurten in focus."""

    model_config = ConfigDict(extra="forbid")
    bestand: str = ""
    code: str = "buurtcode"
    naam: str | None = None


class ProjectConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    project: ProjectInfo
    tellen: Tellen = Field(default_factory=Tellen)
    privacy: Privacy = Field(default_factory=Privacy)
    store: Store = Field(default_factory=Store)
    coderen: Coderen = Field(default_factory=Coderen)
    kaart: Kaart | None = None
    # a team's own schouw form mapped (checked where it is used: wijkkit.kijken.koppeling); see the README
    schouw: dict | None = None


class Project:
    """A loaded project: its settings plus the paths derived from its folder."""

    def __init__(self, root: Path, config: ProjectConfig):
        self.root = root
        self.config = config

    @classmethod
    def load(cls, root: str | Path = ".") -> "Project":
        root = Path(root).resolve()
        path = root / CONFIG_NAME
        if not path.exists():
            raise WijkkitInputError(Probleem(
                CONFIG_NAME, f"een projectmap met {CONFIG_NAME} (maak er een met 'wijkkit init MAP')",
                gevonden=str(root)))
        try:
            data = tomllib.loads(read_settings_text(path))
        except tomllib.TOMLDecodeError as exc:
            raise WijkkitInputError(Probleem(CONFIG_NAME, "geldige TOML", gevonden=str(exc))) from exc
        config = validate_model(data, ProjectConfig, CONFIG_NAME)
        if os.environ.get(STORE_URL_ENV):  # a team member's own PostgreSQL role (Kubernetes), not the shared file's
            config.store.url = os.environ[STORE_URL_ENV]
        return cls(root, config)

    @property
    def data_dir(self) -> Path:
        return self.root / self.config.tellen.data

    @property
    def codebook_path(self) -> Path:
        return self.root / "codebook.yml"

    @property
    def verandertheorie_path(self) -> Path:
        return self.root / "verandertheorie.yml"

    @property
    def model_dir(self) -> Path:
        return self.root / "modellen" / "themaclassifier"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".wijkkit-cache"

    def load_codebook(self):
        """The project's codebook.yml, or the default codebook when the project has none."""
        from wijkkit.codebook import load_codebook

        return load_codebook(self.codebook_path if self.codebook_path.exists() else None)

    def open_store(self):
        """The project store (migrated); SQLite paths are relative to the project folder."""
        from wijkkit.store import open_store

        return open_store(self.config.store.url, project_root=self.root)

    @cached_property
    def catalogus(self):
        from wijkkit.tellen.catalogus import load_catalogus

        own = self.root / self.config.tellen.catalogus if self.config.tellen.catalogus else None
        codebook = self.codebook_path if self.codebook_path.exists() else None
        return load_catalogus(own, codebook=codebook)

    def scope(self):
        """The rows of the figures this project works on: its gemeente, the country, and what it compares with."""
        from wijkkit.tellen.laden import Scope

        ref = self.referentie()
        extra = {*self.config.tellen.vergelijk, *self.config.project.gebieden, *ref.gebieden}
        return Scope(self.config.project.gemeente, frozenset(extra))

    def load_indicators(self) -> pd.DataFrame:
        """The project's figures: CBS files in data/ plus the configured municipal files, for its own gemeente.

        A national or provincial download is read (and cached) whole, but only the project's own gemeente, the
        country and the gebieden it compares with become the table: a caption that names the gemeente is
        computed from that gemeente, and lists never offer another.
        """
        from wijkkit.tellen.catalogus import concat_tables
        from wijkkit.tellen.laden import DATA_SUFFIXES, check_overlap, load_indicators

        if not self.data_dir.is_dir():
            raise WijkkitInputError(Probleem(
                "wijkkit.toml", "een map met de cijferbestanden van het project (maak de map aan en zet er de CBS-"
                "downloads in, of noem de juiste map)", kolom="[tellen] data", soort="veld",
                gevonden=f"{self.config.tellen.data} ({'een bestand' if self.data_dir.exists() else 'bestaat niet'})"))
        mapped = {(self.data_dir / b.pad).resolve(): b for b in self.config.tellen.bestanden}
        dangling = [Probleem("wijkkit.toml", f"een bestaand bestand in de map {self.config.tellen.data}",
                             kolom="[[tellen.bestanden]] pad", soort="veld", gevonden=b.pad)
                    for path, b in mapped.items() if not path.is_file()]
        if dangling:
            raise WijkkitInputError(dangling)
        cbs_files = sorted(p for p in self.data_dir.iterdir()
                           if p.suffix.lower() in DATA_SUFFIXES and p.resolve() not in mapped
                           and not p.name.startswith((".", "~$")))
        scope = self.scope()
        tables, names, meldingen = [], [], []
        if cbs_files:
            tables.append(load_indicators(cbs_files, catalogus=self.catalogus, cache_dir=self.cache_dir, scope=scope,
                                          naamgeving=self.naamgeving()))
            meldingen += tables[-1].attrs.get("meldingen", [])
            names.append("de CBS-bestanden in " + self.config.tellen.data)
        for path, bestand in mapped.items():
            tables.append(load_indicators(path, format="gemeentelijk", mapping=bestand.mapping(),
                                          catalogus=self.catalogus, cache_dir=self.cache_dir, scope=scope))
            names.append(path.name)
        for jaar in self.config.tellen.online:
            from wijkkit.tellen.online import fetch_kwb

            fetched = fetch_kwb(jaar, self.config.project.gemeente, cache_dir=self.cache_dir)
            tables.append(self.catalogus.derive(self.catalogus.normalise(fetched)))
            names.append(f"CBS open data {jaar}")
        schouw = self._schouw(tables)
        if schouw is not None:
            tables.append(schouw)
            names.append("de straatschouw in de store")
        combined = concat_tables(tables)
        if len(tables) > 1:
            check_overlap(tables, names)
        if len(combined) and not (scope.gemeente and (combined["gemeente_code"] == scope.gemeente).any()):
            raise WijkkitInputError(self._which_gemeente(cbs_files + list(mapped)))
        combined.attrs["meldingen"] = meldingen
        return combined

    def naamgeving(self):
        """What gives a names-only CBS download its codes: wijkkit's gemeente list, the project's gemeente, and the
        gemeenten, wijken and buurten of its buurtkaart ([kaart] bestand)."""
        from wijkkit.tellen.namen import Naamgeving

        gemeenten, gebieden, bron = {}, {}, ""
        kaart = self.config.kaart
        path = self.root / kaart.bestand if kaart and kaart.bestand else None
        if path is not None and path.is_file():
            gemeenten, gebieden = _kaart_namen(path)
            bron = path.name
        return Naamgeving.voor(gemeenten=gemeenten, gebieden=gebieden, gemeente=self.config.project.gemeente,
                               bron=bron)

    def _schouw(self, tables: list[pd.DataFrame]) -> pd.DataFrame | None:
        """The straatschouw in the store as indicators (loaded in its own room, wijkkit.kijken.waarnemingen)."""
        from wijkkit.kijken.waarnemingen import schouw_cijfers

        return schouw_cijfers(self, tables)

    def _which_gemeente(self, files: list[Path]) -> Probleem:
        """The project's gemeente is not set, or not in its files: name the gemeenten that are, nearest first."""
        from wijkkit.tellen.laden import gemeenten_in

        found = gemeenten_in(files, cache_dir=self.cache_dir, naamgeving=self.naamgeving(), mapped={
            (self.data_dir / b.pad).resolve(): b.mapping() for b in self.config.tellen.bestanden})
        gemeente = self.config.project.gemeente
        naam = self.config.project.naam.casefold()

        def nearness(item) -> float:
            import difflib

            code, label = item
            return -max(difflib.SequenceMatcher(None, naam, label.casefold()).ratio(),
                        1.0 if code == gemeente else 0.0)

        listed = sorted(found.items(), key=lambda item: (nearness(item), item[1]))
        shown = ", ".join(f"{label} ({code})" for code, label in listed[:8])
        more = f" en {len(listed) - 8} andere" if len(listed) > 8 else ""
        wat = ("de CBS-code van de gemeente van dit project, bijvoorbeeld gemeente = \"" + (listed[0][0] if listed
               else "GM0344") + "\" (in de cijfers staan: " + (shown + more if listed else "geen gemeenten") + ")")
        return Probleem("wijkkit.toml", wat, kolom="[project] gemeente", soort="veld",
                        gevonden=gemeente or "nog niet ingevuld")

    def referentie(self):
        from wijkkit.tellen.profiel import Referentie

        return Referentie.parse(self.config.tellen.referentie)


def _kaart_namen(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(gemeenten, wijken and buurten): code -> naam from a boundary file's attribute table (no shapes read).
    A file that cannot be read gives nothing here: the map says what is wrong with it where it is drawn."""
    try:
        import pyogrio

        frame = pyogrio.read_dataframe(path, read_geometry=False)
    except Exception:  # pyogrio raises its own types for every driver problem
        return {}, {}
    columns = {str(c).casefold(): c for c in frame.columns}
    gemeenten: dict[str, str] = {}
    gebieden: dict[str, str] = {}
    for code_col, naam_col, target in (("gemeentecode", "gemeentenaam", gemeenten), ("wijkcode", "wijknaam", gebieden),
                                        ("buurtcode", "buurtnaam", gebieden), ("statcode", "statnaam", gebieden)):
        if code_col in columns and naam_col in columns:
            pairs = frame[[columns[code_col], columns[naam_col]]].dropna().astype(str).drop_duplicates()
            target.update((c.strip().upper(), n.strip()) for c, n in pairs.itertuples(index=False))
    return gemeenten, gebieden


TEMPLATE_TOML = """# Instellingen van dit wijkkit-project.
[project]
id = "{id}"  # vaste id: de sleutel van de originelen hoort hierbij
naam = "{naam}"
gemeente = "{gemeente}"{gemeente_uitleg}
gebieden = []                  # wijken/buurten in focus, bv. ["WK034403"]

[tellen]
data = "data"                  # map met CBS-bestanden (kwb-JAAR.xlsx, StatLine-CSV; ook heel Nederland)
referentie = "gemeente"        # gemeente | basisjaar:2020 | gebieden:CODE,CODE | nederland
# vergelijk = ["GM0363"]       # gebieden van andere gemeenten om mee te vergelijken (uit een landelijk bestand)
# catalogus = "indicatoren.yml"  # eigen indicatoren (vult de standaardcatalogus aan)

# Eigen gemeentelijke bestanden: noem de kolommen.
# [[tellen.bestanden]]
# pad = "monitor.csv"
# gebied = "buurtcode"
# jaar = "jaar"

{kaart}
[privacy]
drempel = 5                    # kleinere aantallen verhalen worden niet getoond in openbare pagina's
originelen_bewaren = false     # originele (niet-gepseudonimiseerde) teksten bewaren?

[store]
url = "sqlite:///wijkkit.db"   # of postgresql+psycopg://gebruiker@server/database
"""


def template_notebooks() -> Path | None:
    """The template notebooks next to the package (present in a source checkout)."""
    candidate = Path(str(resources.files("wijkkit"))).parent / "notebooks"
    return candidate if candidate.is_dir() else None


TEMPLATE_THEORIE = """\
# Verandertheorie van dit project: waar werkt de wijkaanpak naartoe, en waaraan zien we dat?
# `wijkkit monitoring rapport` maakt er de voortgangsrapportage van. Haal de # weg voor de regels hieronder
# en vul ze in; de ids van indicatoren staan in `wijkkit tellen indicatoren`, de thema's in codebook.yml.
#
# missie: >-
#   Binnen tien jaar voelen bewoners van de wijk zich thuis en kunnen ze rondkomen en meedoen.
# gebied: {gemeente}                # de gemeente, een wijk (WK...) of een buurt (BU...)
# nulmeting: 2024                # het jaar van de eerste meting
# ambities:
#   - id: meedoen
#     titel: Iedereen kan meedoen
#     deelambities:
#       - id: meedoen-werk
#         titel: Meer bewoners met werk of een dagbesteding
#         indicatoren:
#           - soort: kwantitatief   # een cijfer uit de indicatorcatalogus
#             indicator: g_soz_ww_1000
#             basisjaar: 2024
#             doel: 15
#             doeljaar: 2030
#             toelichting: WW-uitkeringen per 1.000 inwoners; het doel is een daling.
#           - soort: kwalitatief    # hoe de verhalen over een thema veranderen
#             thema: werk_economie
#             toelichting: Vertellen bewoners vaker over werk dat lukt dan over werk dat ontbreekt?
"""


KAART_VOORBEELD = """# Buurtkaart: de wijk- en buurtkaart van CBS/PDOK (GeoPackage, GeoJSON of shapefile, elk
# coördinatenstelsel; ook een landelijk bestand: alleen de vlakken van de gemeente worden gelezen).
# Haal de # weg en noem het bestand in data/; zonder kaart toont het dashboard de buurten als staven.
# [kaart]
# bestand = "data/wijkenbuurten.gpkg"
# code = "buurtcode"            # kolom met de CBS-code (buurtcode, wijkcode, statcode, ...)
# naam = "buurtnaam"
"""
KAART_GEVONDEN = """# Buurtkaart: gevonden in data/ bij het aanmaken van het project.
[kaart]
bestand = "{bestand}"
code = "{code}"{naam}
"""
BOUNDARY_SUFFIXES = (".gpkg", ".geojson", ".shp")


def _kaart_section(root: Path) -> str:
    """A [kaart] section for a boundary file already in data/ (its code and name columns read from it), else
    a commented example."""
    from wijkkit.tellen.buurtkaart import CODE_COLUMNS, NAME_COLUMNS

    for path in sorted((root / "data").iterdir()) if (root / "data").is_dir() else []:
        if path.suffix.lower() not in BOUNDARY_SUFFIXES:
            continue
        try:
            import pyogrio

            fields = {str(f).casefold(): str(f) for f in pyogrio.read_info(path)["fields"]}
        except Exception:  # not a readable boundary file: leave the example
            continue
        code = next((fields[c] for c in CODE_COLUMNS if c in fields), None)
        if code:
            naam = next((fields[c] for c in NAME_COLUMNS if c in fields), None)
            return KAART_GEVONDEN.format(bestand=f"data/{path.name}", code=code,
                                         naam=f'\nnaam = "{naam}"' if naam else "")
    return KAART_VOORBEELD


def init_project(root: str | Path, *, naam: str | None = None, gemeente: str | None = None) -> Path:
    root = Path(root)
    if (root / CONFIG_NAME).exists():
        raise WijkkitInputError(Probleem(CONFIG_NAME, "een map zonder bestaand project",
                                         gevonden=str(root / CONFIG_NAME)))
    if gemeente and not re.fullmatch(r"GM\d{4}", gemeente):
        raise WijkkitInputError(Probleem("--gemeente", "een CBS-gemeentecode: GM en vier cijfers, bv. GM0344",
                                         gevonden=gemeente, plek="optie"))
    for sub in ("data", "stories", "notebooks"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    uitleg = ("                 # CBS-code van de gemeente (GM + 4 cijfers)" if gemeente else
              "                         # vul in: CBS-code van de gemeente, bv. \"GM0344\" (Utrecht)")
    (root / CONFIG_NAME).write_text(
        TEMPLATE_TOML.format(id=uuid.uuid4(), naam=naam or root.resolve().name, gemeente=gemeente or "",
                             gemeente_uitleg=uitleg, kaart=_kaart_section(root)), encoding="utf-8")
    from wijkkit.codebook import default_codebook_path

    shutil.copyfile(default_codebook_path(), root / "codebook.yml")
    (root / "verandertheorie.yml").write_text(TEMPLATE_THEORIE.format(gemeente=gemeente or "GM0344"),
                                               encoding="utf-8")
    templates = template_notebooks()
    if templates:
        for notebook in sorted(templates.glob("*.ipynb")):
            shutil.copyfile(notebook, root / "notebooks" / notebook.name)
    (root / ".gitignore").write_text(".wijkkit-cache/\nwijkkit.db*\nprivé/\n", encoding="utf-8")
    Project.load(root)  # the files we wrote must validate
    return root
