"""Load a YAML file into a pydantic model, turning validation errors into Dutch ones."""

from __future__ import annotations

import functools
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


def parse_yaml(text: str, bestand: str):
    try:
        return yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise WijkkitInputError(Probleem(
            bestand, "geldige YAML", rij=mark.line + 1 if mark else None,
            gevonden=str(getattr(exc, "problem", exc)))) from exc


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
    gevonden = None if err["type"] == "missing" else repr(err.get("input"))[:60]
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
