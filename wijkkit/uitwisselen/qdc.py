"""The codebook as REFI-QDA ``.qdc`` (the exchange format of ATLAS.ti, NVivo, MAXQDA, QualCoder).

Themes become ``<Code>`` elements, sub-codes (``ouder``) are nested, categories that only group
sub-codes are ``isCodable="false"``, code groups become ``<Sets>``, and the valences become
codes under a non-codable category "Valentie", so a coder in another tool can apply them too.
Our extra fields (wel, niet, termen, uitsluiten, zwak, id) travel in each code's ``<Description>``
as readable "Veld: waarde" lines, so an export read back gives the same codebook.
GUIDs are derived from the theme id (UUID5): exporting twice gives the same file.

Reading accepts what other tools write: codes without a description, colours in any case,
``<MemberCode guid>`` (codebook schema) and ``<MemberCode targetGUID>`` (project schema),
an empty ``<Sets/>``, and names in any script (ids keep their letters: "öztürk").
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from pathlib import Path

from lxml import etree
from pydantic import ValidationError

from wijkkit import __version__
from wijkkit.codebook import Codebook, Thema, Valentie, normalise_colour
from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam

NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
NS_PROJECT = "urn:QDA-XML:project:1.0"
GUID_NAMESPACE = uuid.UUID("6f1d0c4e-7a51-4f0e-9a43-3c1f5b1e9a10")
VALENTIE_CATEGORIE = "Valentie"
_FIELDS = {"Wel": "wel", "Niet": "niet", "Termen": "termen", "Uitsluiten": "uitsluiten", "Zwak": "zwak", "wijkkit-id": "id",
           "wijkkit-valentie": "valentie", "wijkkit-codebook-versie": "versie"}
_LIST_FIELDS = {"termen", "uitsluiten", "zwak"}
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# Characters XML 1.0 cannot hold (control characters); replaced one for one so offsets stay right.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value) -> str:
    """Text that lxml can write: control characters become U+FFFD (same length, offsets unchanged)."""
    return XML_INVALID.sub("\ufffd", "" if value is None else str(value))


def norm_guid(guid: str | None) -> str:
    """GUIDs compare without braces and case ("{ABC-...}" and "abc-..." are the same)."""
    return (guid or "").strip().strip("{}").lower()


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
        attrs = {"guid": code_guid("thema", thema.id), "name": xml_text(thema.label),
                 "isCodable": "true" if thema.codeerbaar else "false"}
        if thema.kleur:
            attrs["color"] = normalise_colour(thema.kleur)
        element = etree.SubElement(parent, q("Code"), attrs)
        description = _description(thema.definitie, {"Wel": thema.wel, "Niet": thema.niet, "Termen": thema.termen,
                                                     "Uitsluiten": thema.uitsluiten, "Zwak": thema.zwak,
                                                     "wijkkit-id": thema.id})
        etree.SubElement(element, q("Description")).text = xml_text(description)  # before nested codes
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
                                                             "name": xml_text(valentie.label), "isCodable": "true"})
            etree.SubElement(element, q("Description")).text = xml_text(_description(
                valentie.definitie, {"Termen": valentie.termen, "wijkkit-valentie": valentie.id}))
    return codes


def sets_element(codebook: Codebook, ns: str) -> etree._Element | None:
    """``<Sets>`` for the code groups, or None when there are none (an empty ``<Sets/>`` is invalid).

    The codebook schema names a member ``<MemberCode guid>``, the project schema ``<MemberCode targetGUID>``.
    """
    groups: dict[str, list[str]] = {}
    for thema in codebook.themas:
        for group in thema.groepen:
            groups.setdefault(group, []).append(thema.id)
    if not groups:
        return None
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731
    member = "guid" if ns == NS_CODEBOOK else "targetGUID"
    sets = etree.Element(q("Sets"))
    for group, members in groups.items():
        element = etree.SubElement(sets, q("Set"), guid=code_guid("groep", group), name=xml_text(group))
        for ident in members:
            etree.SubElement(element, q("MemberCode"), {member: code_guid("thema", ident)})
    return sets


def to_qdc(codebook: Codebook) -> bytes:
    root = etree.Element(f"{{{NS_CODEBOOK}}}CodeBook", nsmap={None: NS_CODEBOOK}, origin=f"wijkkit {__version__}")
    root.append(codes_element(codebook, NS_CODEBOOK))
    sets = sets_element(codebook, NS_CODEBOOK)
    if sets is not None:
        root.append(sets)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def write_qdc(codebook: Codebook, path: str | Path) -> Path:
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(to_qdc(codebook))
    tmp.replace(path)
    return path


def slug(name: str) -> str:
    """An id from a code name that keeps its letters: "Öztürk & co" -> "öztürk_co", "2022 x" -> "code_2022_x"."""
    text = unicodedata.normalize("NFC", name).casefold()
    ident = re.sub(r"[\W_]+", "_", text).strip("_") or "code"
    return ident if not ident[0].isdigit() else f"code_{ident}"


def codebook_from_codes(codes: etree._Element, ns: str, source: str, sets: etree._Element | None = None
                        ) -> tuple[Codebook, dict[str, tuple[str, str]]]:
    """Rebuild a codebook from ``<Codes>`` (and ``<Sets>``); also returns guid -> ("thema"|"valentie", id)."""
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
        guid = norm_guid(element.get("guid"))
        if not GUID.match(guid):
            raise WijkkitInputError([Probleem(bestand=source, verwacht="een guid als 8-4-4-4-12 hexadecimale tekens "
                                              "bij elke <Code>", gevonden=f"{guid or '(geen)'} bij code {name!r}")])
        if not name:
            raise WijkkitInputError([Probleem(bestand=source, verwacht="een naam bij elke <Code>",
                                              gevonden=f"Code zonder name (guid {guid or '?'})")])
        info = _parse_description(element.findtext(q("Description")) or "")
        codable = (element.get("isCodable") or "true").strip().lower() != "false"
        is_valence_category = not codable and name == VALENTIE_CATEGORIE
        if is_valence_category and "versie" in info:
            versie = int(info["versie"]) if str(info["versie"]).isdigit() else 1
        if in_valence or "valentie" in info:
            ident = info.get("valentie") or slug(name)
            valenties.append(Valentie(id=ident, label=name, definitie=info["definitie"],
                                      termen=info.get("termen", [])))
            by_guid[guid] = ("valentie", ident)
            children_parent = ouder
        elif is_valence_category:
            children_parent = ouder
        else:
            ident = unique(info.get("id") or slug(name))
            try:
                colour = normalise_colour(element.get("color"))
            except ValueError:
                colour = None  # a colour another tool wrote wrongly is no reason to refuse its codebook
            themas.append(Thema(id=ident, label=name, definitie=info["definitie"], wel=info.get("wel", ""),
                                niet=info.get("niet", ""), termen=info.get("termen", []),
                                uitsluiten=info.get("uitsluiten", []), zwak=info.get("zwak", []), ouder=ouder,
                                kleur=colour,
                                codeerbaar=codable))
            by_guid[guid] = ("thema", ident)
            children_parent = ident
        for child in element.findall(q("Code")):
            walk(child, children_parent, in_valence or is_valence_category)

    try:
        for code in codes.findall(q("Code")):
            walk(code, None, False)
    except ValidationError as exc:  # e.g. a wijkkit-id in a Description that is no valid id
        error = exc.errors()[0]
        raise WijkkitInputError([Probleem(bestand=source, verwacht=f"een geldige code ({exc.title}, veld "
                                          f"{'.'.join(map(str, error['loc'])) or '?'}: {error['msg']})",
                                          gevonden=str(error.get("input"))[:60])]) from None
    if sets is not None:
        groups: dict[str, list[str]] = {}
        for group in sets.findall(q("Set")):
            for member in group.findall(q("MemberCode")):
                target = norm_guid(member.get("targetGUID") or member.get("guid"))
                kind, ident = by_guid.get(target, (None, None))
                if kind == "thema":
                    groups.setdefault(ident, []).append(group.get("name") or "groep")
        themas = [t.model_copy(update={"groepen": groups.get(t.id, [])}) for t in themas]
    try:
        return Codebook(versie=versie, valentie=valenties, themas=themas), by_guid
    except ValidationError as exc:
        error = exc.errors()[0]
        raise WijkkitInputError([Probleem(bestand=source, verwacht="een codeboek dat wijkkit kan gebruiken ("
                                          + str(error["msg"]).removeprefix("Value error, ") + ")")]) from None


def read_qdc(path: str | Path) -> Codebook:
    """Read a ``.qdc`` written by wijkkit or another REFI-QDA tool."""
    path = Path(path)
    bestand = bestandsnaam(path)
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    except (etree.XMLSyntaxError, OSError) as error:
        raise WijkkitInputError([Probleem(bestand=bestand, verwacht="een REFI-QDA codeboek (.qdc, XML)",
                                          gevonden=str(error)[:80])]) from None
    ns = etree.QName(root).namespace
    codes = root.find(f"{{{ns}}}Codes")
    if etree.QName(root).localname != "CodeBook" or codes is None:
        raise WijkkitInputError([Probleem(bestand=bestand, verwacht="<CodeBook> met daarin <Codes>",
                                          gevonden=f"<{etree.QName(root).localname}>")])
    return codebook_from_codes(codes, ns, bestand, root.find(f"{{{ns}}}Sets"))[0]
