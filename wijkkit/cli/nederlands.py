"""Help screens and usage errors in Dutch.

Typer's bundled Click writes "Usage", "Options", "[default: ...]", "Missing argument" in English,
with no translation catalogue to hook into. The command classes here translate what it writes, line
by line, and print usage errors themselves; rich markup is off, so no "[...]" in a help text is eaten.
"""

from __future__ import annotations

import re
import sys

import typer
from typer import _click
from typer.core import TyperCommand, TyperGroup
from typer.exceptions import Abort

from wijkkit.errors import WijkkitInputError

VERTALINGEN: list[tuple[re.Pattern, str]] = [(re.compile(a, re.M), b) for a, b in [
    (r"^Usage: ", "Gebruik: "),
    (r"^Options:", "Opties:"),
    (r"^Commands:", "Opdrachten:"),
    (r"^Arguments:", "Argumenten:"),
    (r"Show this message and exit\.", "Toon deze hulp en stop."),
    (r"\[default:(\s+)([^\]]*)\]", r"[standaard:\1\2]"),
    (r"\[required\]", "[verplicht]"),
    (r"\[OPTIONS\]", "[OPTIES]"),
    (r"COMMAND \[ARGS\]\.\.\.", "OPDRACHT [ARGUMENTEN]..."),
    (r"\bPATH\b", "PAD"),
    (r"Input should be a valid integer[^.\n]*", "verwacht een geheel getal"),
    (r"Input should be a valid number[^.\n]*", "verwacht een getal"),
    (r"Input should be a valid boolean[^.\n]*", "verwacht ja of nee"),
    (r"\bTEXT\b", "TEKST"),
    (r"\bINTEGER\b", "GETAL"),
    (r"\bFLOAT\b", "GETAL"),
    (r"Try '([^']+)' for help\.", r"Probeer '\1' voor hulp."),
    (r"^Error: ", "Fout: "),
    (r"Missing argument '([^']+)'\.", r"Het argument '\1' ontbreekt."),
    (r"Missing option (.+?)\.$", r"De optie \1 ontbreekt."),
    (r"Missing parameter: (\S+)", r"Er ontbreekt een waarde: \1"),
    (r"No such option: (\S+)", r"Onbekende optie: \1"),
    (r"No such command '([^']+)'\.", r"Onbekende opdracht '\1'."),
    (r"Did you mean ([^?]+)\?", r"Bedoelde je \1?"),
    (r"Invalid value for '([^']+)':", r"Ongeldige waarde voor '\1':"),
    (r"Invalid value for ([^:]+):", r"Ongeldige waarde voor \1:"),
    (r"'([^']*)' is not a valid integer\.", r"'\1' is geen geheel getal."),
    (r"'([^']*)' is not a valid float\.", r"'\1' is geen getal."),
    (r"'([^']*)' is not a valid boolean\.", r"'\1' is geen ja/nee-waarde."),
    (r"'([^']*)' is not one of (.+)\.", r"'\1' is niet een van \2."),
    (r"Option '([^']+)' requires an argument\.", r"De optie '\1' heeft een waarde nodig."),
    (r"Got unexpected extra arguments? \(([^)]*)\)", r"Onverwacht extra argument (\1)"),
    (r"(?:Path|File|Directory) '([^']*)' does not exist\.", r"'\1' bestaat niet."),
    (r"Aborted!", "Afgebroken."),
]]


# Metavariables in the option list, where the help texts are aligned after them: keep the column.
METAVARS = {"<path>": "<pad>", "<Path>": "<pad>", "<text>": "<tekst>", "<str>": "<tekst>", "<integer>": "<getal>",
            "<int>": "<getal>", "<float>": "<getal>", "<list[Path]>": "<pad>...", "<list[str]>": "<tekst>..."}
_METAVAR = re.compile("(" + "|".join(map(re.escape, METAVARS)) + ")( {2,})?")


def _metavar(match: re.Match) -> str:
    old, new, gap = match[1], METAVARS[match[1]], match[2]
    if gap is None:
        return new
    return new + " " * max(2, len(gap) + len(old) - len(new))


def vertaal(text: str) -> str:
    for pattern, dutch in VERTALINGEN:
        text = pattern.sub(dutch, text)
    return _METAVAR.sub(_metavar, text)


class Nederlands:
    """Help and usage lines in Dutch, for a command or a group."""

    def get_help(self, ctx: _click.Context) -> str:
        return vertaal(super().get_help(ctx))

    def get_usage(self, ctx: _click.Context) -> str:
        return vertaal(super().get_usage(ctx))


class Commando(Nederlands, TyperCommand):
    """A command whose help is Dutch."""


class Groep(Nederlands, TyperGroup):
    """A group of commands whose help and usage errors are Dutch (also for the commands below it)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode: bool = True, **extra):
        try:
            result = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                                  standalone_mode=False, **extra)
        except _click.exceptions.NoArgsIsHelpError as error:  # "wijkkit" alone: the help, as Click does
            if not standalone_mode:
                raise
            typer.echo(error.ctx.get_help(), err=True)
            sys.exit(error.exit_code)
        except _click.exceptions.UsageError as error:
            if not standalone_mode:
                raise
            if error.ctx is not None:
                typer.echo(error.ctx.get_usage(), err=True)
                typer.echo(f"Probeer '{error.ctx.command_path} --help' voor hulp.\n", err=True)
            typer.echo(f"Fout: {vertaal(error.format_message())}", err=True)
            sys.exit(error.exit_code)
        except _click.exceptions.ClickException as error:
            if not standalone_mode:
                raise
            typer.echo(f"Fout: {vertaal(error.format_message())}", err=True)
            sys.exit(error.exit_code)
        except Abort:
            if not standalone_mode:
                raise
            typer.echo("Afgebroken.", err=True)
            sys.exit(1)
        except WijkkitInputError as error:  # bad input met anywhere in a command: one Dutch message
            if not standalone_mode:
                raise
            typer.echo(str(error), err=True)
            sys.exit(2)
        except Exception as error:  # what a member's role may not do (a team server): one Dutch message
            message = geweigerd(error)
            if message is None or not standalone_mode:
                raise
            typer.echo(message, err=True)
            sys.exit(2)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def geweigerd(error: Exception) -> str | None:
    """A Dutch sentence for a refusal by the operating system or PostgreSQL (a member's role on a team server),
    or None for anything else (that stays a traceback: a bug to report)."""
    if isinstance(error, PermissionError):
        waar = f" tot {error.filename}" if error.filename else ""
        return (f"Geen toegang{waar}: dit bestand of deze map is niet voor jouw rol. Vraag een coördinator als je "
                "het nodig hebt.")
    try:
        from sqlalchemy.exc import DBAPIError, OperationalError
    except ImportError:  # pragma: no cover
        return None
    if not isinstance(error, DBAPIError):
        return None
    orig = getattr(error, "orig", None)
    reden = (str(orig or error).strip().splitlines() or [""])[0][:200]
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate == "42501":  # insufficient_privilege
        return ("De database weigert dit voor jouw rol (" + reden + "). Een codeur werkt aan eigen beslissingen en "
                "memo's; de sleutel, de originele teksten en de rechten zijn voor een coördinator.")
    if isinstance(error, OperationalError) and type(orig).__module__.startswith("psycopg") \
            and (sqlstate or "08").startswith("08"):  # connection_exception, or no connection at all
        return f"De database is niet bereikbaar ({reden}). Vraag de beheerder of de server draait."
    return None


def groep(help: str, **options) -> typer.Typer:
    """A Typer app (group) that speaks Dutch: every command in it uses :class:`Commando`."""
    app = typer.Typer(help=help, cls=Groep, no_args_is_help=True, add_completion=False,
                      pretty_exceptions_enable=False, rich_markup_mode=None,
                      context_settings={"help_option_names": ["-h", "--help"]}, **options)
    original = app.command

    def command(*args, **kwargs):
        kwargs.setdefault("cls", Commando)
        return original(*args, **kwargs)

    app.command = command
    return app
