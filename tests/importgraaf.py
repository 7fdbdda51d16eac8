"""The imports among wijkkit's own modules, read with ``ast`` (also those inside functions), and the rooms.

A room is a sub-package of ``wijkkit`` (``tellen``, ``vertellen``, ...) or a module at the top (``config``,
``errors``, ...). ``docs/architectuur.md`` says in which layer each room lives and what else it may import;
``tests/test_architectuur.py`` holds the code to that. Run ``python -m tests.importgraaf [map]`` for the
numbers: lines, rooms, imports that run up, circles.
"""

from __future__ import annotations

import argparse
import ast
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "wijkkit"


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package (migrations included)."""
    found = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the wijkkit modules it imports, at the top or in a function; ``if TYPE_CHECKING`` excluded."""
    known = modules(root)
    graph: dict[str, set[str]] = defaultdict(set)

    def resolve(dotted: str) -> str | None:
        parts = dotted.split(".")
        while parts and ".".join(parts) not in known:
            parts.pop()
        return ".".join(parts) or None

    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and _type_checking(node)
                for child in node.body for n in ast.walk(child)}
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                # 'from pakket import module' imports that module; 'from module import naam' the module itself
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
            for target in targets:
                if target == PACKAGE or target.startswith(PACKAGE + "."):
                    resolved = resolve(target)
                    if resolved and resolved != name:
                        graph[name].add(resolved)
    return dict(graph)


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted; a circle lies in each."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:  # iterative, so a deep package never hits the recursion limit
        nonlocal counter
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))

    for node in sorted(set(graph) | {m for targets in graph.values() for m in targets}):
        if node not in index:
            visit(node)
    return sorted(found)


@dataclass
class Plan:
    """What docs/architectuur.md says: each room's layer, the same-layer imports allowed, known exceptions."""

    lagen: dict[str, int]
    ook: dict[str, set[str]] = field(default_factory=dict)
    uitzonderingen: set[tuple[str, str]] = field(default_factory=set)

    def allowed(self, module: str, target: str) -> bool:
        a, b = room(module), room(target)
        return a == b or self.lagen[b] < self.lagen[a] or b in self.ook.get(a, set())


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _names(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def read_plan(path: Path = ROOT / "docs" / "architectuur.md") -> Plan:
    """The tables under '## Lagen' (laag | kamers | mogen ook importeren) and '## Uitzonderingen'."""
    plan = Plan({})
    section = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip().lower()
            continue
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = _cells(line)
        if section == "lagen" and cells[0].isdigit():
            for name in _names(cells[1]):
                plan.lagen[name] = int(cells[0])
            for pair in _names(cells[2]) if len(cells) > 2 else []:
                a, _, b = pair.partition(" → ")
                plan.ook.setdefault(a.strip(), set()).add(b.strip())
        elif section == "uitzonderingen" and len(cells) >= 2 and _names(cells[0]):
            plan.uitzonderingen.add((_names(cells[0])[0], _names(cells[1])[0]))
    return plan


def upward(graph: dict[str, set[str]], plan: Plan) -> list[tuple[str, str]]:
    """Imports from one room into another that the plan does not allow (module, imported module)."""
    return sorted((a, b) for a, targets in graph.items() for b in targets if not plan.allowed(a, b))


def main() -> None:
    parser = argparse.ArgumentParser(description="Tel regels, kamers, imports omhoog en cirkels in wijkkit/.")
    parser.add_argument("map", nargs="?", type=Path, default=ROOT, help="de map met wijkkit/ (standaard: deze)")
    parser.add_argument("--plan", type=Path, default=ROOT / "docs" / "architectuur.md",
                        help="het bestand met de lagen (standaard: docs/architectuur.md van deze map)")
    args = parser.parse_args()
    known = modules(args.map)
    graph = imports(args.map)
    plan = read_plan(args.plan)
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in known.values())
    up = upward(graph, plan)
    circles = cycles(graph)
    print(f"regels={lines} modules={len(known)} kamers={len({room(m) for m in known})}")
    print(f"omhoog={len(up)} (kamer-paren: {len({(room(a), room(b)) for a, b in up})})")
    for a, b in up:
        print(f"  {a} -> {b}")
    print(f"cirkels={len(circles)}")
    for group in circles:
        print("  " + " ↔ ".join(group))


if __name__ == "__main__":
    main()
