"""The codebook as REFI-QDA ``.qdc`` (the exchange format of ATLAS.ti, NVivo, MAXQDA, QualCoder).

Themes become ``<Code>`` elements, sub-codes (``ouder``) are nested, and the valences become
codes under a non-codable category "Valentie", so a coder in another tool can apply them too.
Our extra fields (wel, niet, termen, uitsluiten, id) travel in each code's ``<Description>``
as readable "Veld: waarde" lines, so an export read back gives the same codebook.
GUIDs are derived from the theme id (UUID5): exporting twice gives the same file.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from lxml import etree

from wijkkit import __version__
from wijkkit.codebook import Codebook, Thema, Valentie
from wijkkit.errors import Probleem, WijkkitInputError

NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
NS_PROJECT = "urn:QDA-XML:project:1.0"
GUID_NAMESPACE = uuid.UUID("6f1d0c4e-7a51-4f0e-9a43-3c1f5b1e9a10")
VALENTIE_CATEGORIE = "Valentie"
_FIELDS = {"Wel": "wel", "Niet": "niet", "Termen": "termen", "Uitsluiten": "uitsluiten", "wijkkit-id": "id",
           "wijkkit-valentie": "valentie", "wijkkit-codebook-versie": "versie"}
_LIST_FIELDS = {"termen", "uitsluiten"}
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def code_guid(kind: str, ident: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"wijkkit:{kind}:{ident}"))


def _description(definitie: str, fields: dict[str, str | list[str]]) -> str:
    lines = [definitie.strip()] if definitie.strip() else []
    extra = [f"{name}: {'; '.join(value) if isinstance(value, list) else value}"
             for name, value in fields.items() if value]
    return "\n\n".join(part for part in ["\n".join(lines), "\n".join(extra)] if part)


def _parse_description(text: str) -> dict:
    """Split a Description back into definitie and our 'Veld: waarde' lines."""
    result: dict = {"definitie": []}
    for line in (text or "").splitlines():
        name, sep, value = line.partition(": ")
        if sep and name in _FIELDS:
            key = _FIELDS[name]
            result[key] = [v.strip() for v in value.split(";") if v.strip()] if key in _LIST_FIELDS else value.strip()
        else:
            result["definitie"].append(line)
    result["definitie"] = "\n".join(result["definitie"]).strip()
    return result


def codes_element(codebook: Codebook, ns: str) -> etree._Element:
    """The ``<Codes>`` element (shared by .qdc and the CodeBook inside a .qdpx project)."""
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731
    codes = etree.Element(q("Codes"))

    def add(parent, thema: Thema):
        attrs = {"guid": code_guid("thema", thema.id), "name": thema.label, "isCodable": "true"}
        if thema.kleur:
            attrs["color"] = thema.kleur.upper()
        element = etree.SubElement(parent, q("Code"), attrs)
        description = _description(thema.definitie, {"Wel": thema.wel, "Niet": thema.niet, "Termen": thema.termen,
                                                     "Uitsluiten": thema.uitsluiten, "wijkkit-id": thema.id})
        etree.SubElement(element, q("Description")).text = description  # before nested codes (REFI order)
        for child in codebook.themas:
            if child.ouder == thema.id:
                add(element, child)

    for thema in codebook.themas:
        if thema.ouder is None:
            add(codes, thema)
    if codebook.valentie:
        category = etree.SubElement(codes, q("Code"), {"guid": code_guid("categorie", "valentie"),
                                                       "name": VALENTIE_CATEGORIE, "isCodable": "false"})
        etree.SubElement(category, q("Description")).text = _description(
            "Is het fragment een kracht of een knelpunt van de wijk?", {"wijkkit-codebook-versie": str(codebook.versie)})
        for valentie in codebook.valentie:
            element = etree.SubElement(category, q("Code"), {"guid": code_guid("valentie", valentie.id),
                                                             "name": valentie.label, "isCodable": "true"})
            etree.SubElement(element, q("Description")).text = _description(
                valentie.definitie, {"Termen": valentie.termen, "wijkkit-valentie": valentie.id})
    return codes


def to_qdc(codebook: Codebook) -> bytes:
    root = etree.Element(f"{{{NS_CODEBOOK}}}CodeBook", nsmap={None: NS_CODEBOOK}, origin=f"wijkkit {__version__}")
    root.append(codes_element(codebook, NS_CODEBOOK))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def write_qdc(codebook: Codebook, path: str | Path) -> Path:
    path = Path(path)
    path.write_bytes(to_qdc(codebook))
    return path


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "code"
    return slug if slug[0].isalpha() else f"code_{slug}"


def codebook_from_codes(codes: etree._Element, ns: str, source: str) -> tuple[Codebook, dict[str, tuple[str, str]]]:
    """Rebuild a codebook from ``<Codes>``; also returns guid -> ("thema"|"valentie", id)."""
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731
    themas: list[Thema] = []
    valenties: list[Valentie] = []
    by_guid: dict[str, tuple[str, str]] = {}
    versie = 1
    taken: set[str] = set()

    def unique(ident: str) -> str:
        base, n = ident, 2
        while ident in taken:
            ident, n = f"{base}_{n}", n + 1
        taken.add(ident)
        return ident

    def walk(element, ouder: str | None, in_valence: bool):
        nonlocal versie
        name = element.get("name") or ""
        if not name:
            raise WijkkitInputError([Probleem(bestand=source, verwacht="een naam bij elke <Code>",
                                              gevonden=f"Code zonder name (guid {element.get('guid')})")])
        info = _parse_description(element.findtext(q("Description")) or "")
        codable = element.get("isCodable", "true") == "true"
        is_valence_category = not codable and name == VALENTIE_CATEGORIE
        if is_valence_category and "versie" in info:
            versie = int(info["versie"])
        if in_valence or "valentie" in info:
            ident = info.get("valentie") or _slug(name)
            valenties.append(Valentie(id=ident, label=name, definitie=info["definitie"],
                                      termen=info.get("termen", [])))
            by_guid[element.get("guid")] = ("valentie", ident)
            children_parent = ouder
        elif is_valence_category:
            children_parent = ouder
        else:
            ident = unique(info.get("id") or _slug(name))
            color = element.get("color")
            themas.append(Thema(id=ident, label=name, definitie=info["definitie"], wel=info.get("wel", ""),
                                niet=info.get("niet", ""), termen=info.get("termen", []),
                                uitsluiten=info.get("uitsluiten", []), ouder=ouder,
                                kleur=color.upper() if color and _COLOR.match(color) else None))
            by_guid[element.get("guid")] = ("thema", ident)
            children_parent = ident
        for child in element.findall(q("Code")):
            walk(child, children_parent, in_valence or is_valence_category)

    for code in codes.findall(q("Code")):
        walk(code, None, False)
    return Codebook(versie=versie, valentie=valenties, themas=themas), by_guid


def read_qdc(path: str | Path) -> Codebook:
    """Read a ``.qdc`` written by wijkkit or another REFI-QDA tool."""
    path = Path(path)
    try:
        root = etree.parse(str(path)).getroot()
    except (etree.XMLSyntaxError, OSError) as error:
        raise WijkkitInputError([Probleem(bestand=str(path), verwacht="een REFI-QDA codeboek (.qdc, XML)",
                                          gevonden=str(error))]) from None
    ns = etree.QName(root).namespace
    codes = root.find(f"{{{ns}}}Codes")
    if etree.QName(root).localname != "CodeBook" or codes is None:
        raise WijkkitInputError([Probleem(bestand=str(path), verwacht="<CodeBook> met daarin <Codes>",
                                          gevonden=f"<{etree.QName(root).localname}>")])
    return codebook_from_codes(codes, ns, str(path))[0]
