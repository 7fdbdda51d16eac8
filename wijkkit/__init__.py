"""wijkkit: tellen en vertellen in de wijk."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wijkkit")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+onbekend"
