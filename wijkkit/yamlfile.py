"""Load a YAML file into a pydantic model, turning validation errors into Dutch ones."""

from __future__ import annotations

import functools
import reprlib
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam

M = TypeVar("M", bound=BaseModel)

PYDANTIC_NL = {
    "missing": "een verplicht veld",
    "extra_forbidden": "geen onbekend veld (controleer de spelling)",
    "literal_error": "een van de toegestane waarden",
    "string_type": "tekst",
    "int_parsing": "een geheel getal",
    "float_parsing": "een getal",
    "list_type": "een lijst",
    "dict_type": "een blok met velden",
    "model_type": "een blok met velden",
    "value_error": "een geldige waarde",
}


def read_settings_text(path: str | Path) -> str:
    """A settings file as text, or one Dutch message: missing, a folder, unreadable, or not UTF-8 (with its row)."""
    path, bestand = Path(path), bestandsnaam(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise WijkkitInputError(Probleem(bestand, "een bestaand bestand", gevonden=str(path))) from exc
    except (IsADirectoryError, NotADirectoryError, PermissionError) as exc:
        raise WijkkitInputError(Probleem(bestand, "een leesbaar tekstbestand",
                                         gevonden="een map" if path.is_dir() else "geen leesrechten")) from exc
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1
        raise WijkkitInputError(Probleem(bestand, "tekst in UTF-8-codering (sla het bestand op als UTF-8)", rij=line,
                                         gevonden=f"byte {exc.object[exc.start:exc.start + 1]!r}")) from exc


# libyaml's parser where it is installed (ten times faster: the catalogue is read by every figure import)
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_model(path: str | Path, model: type[M], context: dict | None = None) -> M:
    path = Path(path)
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None  # read_settings_text says what is wrong with it
    data = _parsed(key) if key else parse_yaml(read_settings_text(path), bestandsnaam(path))
    return validate_model(data, model, bestandsnaam(path), context)


@functools.lru_cache(maxsize=32)
def _parsed(key: tuple[str, int, int]):
    """A settings file parsed once per version of it (its path, modification time and size)."""
    return parse_yaml(read_settings_text(key[0]), bestandsnaam(key[0]))


# Limits checked on YAML's node graph before anything is built from it: an alias bomb ("billion laughs") is a few
# hundred bytes that expand to billions of values; a settings file or a story's header is never near these.
MAX_YAML_TEKENS = 5_000_000
MAX_YAML_WAARDEN = 200_000  # values after every alias is expanded
MAX_YAML_DIEPTE = 50


def parse_yaml(text: str, bestand: str, *, loader=None, eerste_rij: int = 1):
    """YAML text to Python values, within the limits above, or one Dutch message (with the row in the file)."""
    if len(text) > MAX_YAML_TEKENS:
        raise WijkkitInputError(Probleem(bestand, f"hoogstens {_getal(MAX_YAML_TEKENS)} tekens YAML",
                                         gevonden=f"{_getal(len(text))} tekens"))
    reader = (loader or SafeLoader)(text)
    try:
        node = reader.get_single_node()
        if node is None:
            return None
        _check_limits(node, bestand, eerste_rij)
        return reader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise WijkkitInputError(Probleem(
            bestand, "geldige YAML", rij=mark.line + eerste_rij if mark else None,
            gevonden=yaml_probleem(exc))) from exc
    except RecursionError as exc:
        raise WijkkitInputError(Probleem(bestand, f"YAML hoogstens {MAX_YAML_DIEPTE} niveaus diep",
                                         gevonden="dieper")) from exc
    finally:
        reader.dispose()


# The YAML parser's reasons (English) as a Dutch user reads them; the first words decide.
YAML_NL = {
    "mapping values are not allowed": "een dubbele punt die hier niet mag (zet tekst tussen '')",
    "did not find expected key": "een regel die niet goed inspringt",
    "did not find expected ',' or ']'": "een lijst [ ... ] die niet gesloten wordt",
    "did not find expected ',' or '}'": "een blok { ... } dat niet gesloten wordt",
    "did not find expected '-'": "een lijst waarin een '- ' ontbreekt of niet goed inspringt",
    "could not find expected ':'": "een sleutel zonder dubbele punt",
    "found character '\\t'": "een tab (gebruik spaties om in te springen)",
    "found character that cannot start any token": "een teken waarmee een waarde niet mag beginnen",
    "found undefined alias": "een *verwijzing naar een &anker dat niet bestaat",
    "found duplicate anchor": "twee keer hetzelfde &anker",
    "found unexpected end of stream": "een aanhalingsteken dat niet gesloten wordt",
    "found unknown escape character": "een onbekende \\-code in een tekst tussen \"...\"",
    "expected <block end>": "een regel die niet goed inspringt",
    "but found another document": "een tweede document (---) in hetzelfde bestand",
    "expected a single document": "een tweede document (---) in hetzelfde bestand",
    "found a tab character": "een tab (gebruik spaties om in te springen)",
    "unacceptable character": "een teken dat niet in tekst hoort (een binair bestand?)",
}


def yaml_probleem(exc: Exception) -> str:
    problem = str(getattr(exc, "problem", None) or exc)
    for english, dutch in YAML_NL.items():
        if problem.startswith(english) or english in problem:
            return dutch
    return "opmaak die YAML niet kan lezen"


def _check_limits(root, bestand: str, eerste_rij: int) -> None:
    """Count the values a node graph expands to (an alias counts as everything it points to), without expanding it,
    and its depth; a node that contains itself is refused too. Iterative: a deep file cannot exhaust the stack."""
    sizes: dict[int, int] = {}
    busy: set[int] = set()
    stack = [(root, 1, False)]
    while stack:
        node, depth, finished = stack.pop()
        children = (node.value if isinstance(node, yaml.SequenceNode)
                    else [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else [])
        if finished:
            busy.discard(id(node))
            sizes[id(node)] = total = 1 + sum(sizes[id(child)] for child in children)
            if total > MAX_YAML_WAARDEN:
                raise WijkkitInputError(Probleem(
                    bestand, f"hoogstens {_getal(MAX_YAML_WAARDEN)} waarden, ook na het uitvouwen van "
                    "verwijzingen (&anker en *verwijzing)", rij=node.start_mark.line + eerste_rij,
                    gevonden="meer (verwijzingen die zich steeds verdubbelen?)"))
            continue
        if id(node) in sizes:
            continue
        if id(node) in busy:
            raise WijkkitInputError(Probleem(bestand, "YAML zonder verwijzing naar zichzelf",
                                             rij=node.start_mark.line + eerste_rij, gevonden="een *verwijzing in "
                                             "zijn eigen &anker"))
        if depth > MAX_YAML_DIEPTE:
            raise WijkkitInputError(Probleem(bestand, f"YAML hoogstens {MAX_YAML_DIEPTE} niveaus diep",
                                             rij=node.start_mark.line + eerste_rij, gevonden="dieper"))
        busy.add(id(node))
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children if id(child) not in sizes)


def _getal(n: int) -> str:
    return f"{n:,}".replace(",", ".")


_KORT = reprlib.Repr()
_KORT.maxstring, _KORT.maxother, _KORT.maxlist, _KORT.maxdict, _KORT.maxlevel = 60, 60, 4, 4, 2


def kort(value, limit: int = 60) -> str:
    """A value as an error message shows it: never more than ``limit`` characters, and never formatted whole
    first (a value from a hostile file may be enormous)."""
    text = value[:limit + 1] if isinstance(value, str) else _KORT.repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def validate_model(data, model: type[M], bestand: str, context: dict | None = None) -> M:
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise WijkkitInputError([_probleem(err, data, bestand) for err in exc.errors()]) from exc


def _probleem(err: dict, data, bestand: str) -> Probleem:
    loc = list(err["loc"])
    verwacht = PYDANTIC_NL.get(err["type"], err["msg"])
    if err["type"] in ("value_error", "assertion_error"):
        verwacht = str(err.get("ctx", {}).get("error", err["msg"])).removeprefix("Value error, ")
    elif err["type"] == "literal_error":
        verwacht = "een van: " + err["ctx"]["expected"].replace("'", "").replace(" or ", ", ")
    veld = _path_text(loc, data)
    gevonden = None if err["type"] == "missing" else _KORT.repr(err.get("input"))[:60]
    return Probleem(bestand, verwacht, kolom=veld, gevonden=gevonden, soort="veld")


def _path_text(loc: list, data) -> str:
    """A readable field path: list positions become the item's id where it has one."""
    parts, node = [], data
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            item = node[key]
            ident = item.get("id") if isinstance(item, dict) else None
            parts.append(f"[{ident or key + 1}]")
            node = item
        elif isinstance(node, dict) and key not in node and key == node.get("soort"):
            continue  # pydantic's tag of a union member ('kwantitatief'), not a field in the file
        else:
            parts.append(f".{key}" if parts else str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts)
