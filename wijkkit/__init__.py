"""wijkkit: tellen en vertellen in de wijk."""

import sys
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wijkkit")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+onbekend"

# jsonschema (under Altair) imports rfc3987_syntax when it is installed (jupyter-events pulls it in
# through jsonschema[format-nongpl]), and that import compiles a grammar: 2-3 s of CPU in every
# kernel and command (python-jsonschema/jsonschema#1392, #1521). wijkkit never checks the "iri"
# format; without the module jsonschema simply leaves that one format unchecked. On an evening with
# ten visitors arriving at once, those seconds per kernel decide whether the page loads.
sys.modules.setdefault("rfc3987_syntax", None)
