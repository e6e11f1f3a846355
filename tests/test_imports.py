"""The package's import graph, read from the source with ``ast``: no ``_private`` name imported from another
module of the package, and no import cycle (module-level or inside functions) among its modules."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "healthcoop_nlp"
ROOT = Path(__file__).resolve().parents[1] / "src" / PACKAGE

#: Import cycles allowed (none), each as the set of modules of one strongly connected component.
ALLOWED_CYCLES: list[frozenset[str]] = []
#: Private names allowed across modules (none): (importing module, imported module, name).
ALLOWED_PRIVATE: set[tuple[str, str, str]] = set()


def package_modules(root: Path = ROOT, package: str = PACKAGE) -> dict[str, Path]:
    """Dotted module name -> source file, for every ``.py`` file under ``root`` (a package's name for its __init__)."""
    mods = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


def imports_of(name: str, path: Path, mods: dict[str, Path], package: str = PACKAGE
               ) -> tuple[set[str], list[tuple[str, str]]]:
    """The package modules that ``name`` imports anywhere in its file, and the ``(module, _name)`` private names
    it imports from them. ``from X import y`` counts as importing ``X.y`` when that is a module, else ``X``."""
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    private: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets.update(a.name for a in node.names if a.name == package or a.name.startswith(package + "."))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module != package and not module.startswith(package + "."):
                continue
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                targets.add(sub if sub in mods else module)
                if alias.name.startswith("_") and not alias.name.startswith("__") and sub not in mods:
                    private.append((module, alias.name))
    targets.discard(name)
    return {t for t in targets if t in mods}, private


def import_graph(mods: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the package modules it imports."""
    return {name: imports_of(name, path, mods)[0] for name, path in mods.items()}


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
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
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def test_the_package_is_found():
    mods = package_modules()
    assert PACKAGE in mods and f"{PACKAGE}.scoring.command" in mods and f"{PACKAGE}.report.html" in mods


def test_no_private_name_is_imported_from_another_module():
    mods = package_modules()
    bad = [(name, module, attr) for name, path in mods.items() for module, attr in imports_of(name, path, mods)[1]
           if module != name and (name, module, attr) not in ALLOWED_PRIVATE]
    assert not bad, "make these names public (drop the leading _) or move them: " + "; ".join(
        f"{n} imports {a} from {m}" for n, m, a in bad)


def test_no_two_modules_import_each_other():
    graph = import_graph(package_modules())
    pairs = sorted({tuple(sorted((a, b))) for a, ts in graph.items() for b in ts if a in graph.get(b, ())})
    bad = [p for p in pairs if frozenset(p) not in ALLOWED_CYCLES]
    assert not bad, "modules that import each other (move the shared code to a third module): " + "; ".join(
        f"{a} <-> {b}" for a, b in bad)


def test_no_import_cycle():
    bad = [c for c in cycles(import_graph(package_modules())) if c not in ALLOWED_CYCLES]
    assert not bad, "import cycles (move the shared code to a module both can import): " + "; ".join(
        " -> ".join(sorted(c)) for c in bad)


def test_scoring_does_not_import_report_except_the_evaluate_command():
    graph = import_graph(package_modules())
    bad = sorted(a for a, ts in graph.items() if a.startswith(f"{PACKAGE}.scoring") and a != f"{PACKAGE}.scoring.command"
                 and any(t.startswith(f"{PACKAGE}.report") for t in ts))
    assert not bad, f"scoring modules that import report (report may import scoring, not the reverse): {bad}"


def test_the_checks_see_a_cycle_and_a_private_import(tmp_path):
    pkg = tmp_path / PACKAGE
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import thing\n")
    (pkg / "b.py").write_text("def f():\n    from .sub.c import _hidden\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "c.py").write_text("import healthcoop_nlp.a\n_hidden = 1\n")
    mods = package_modules(pkg)
    graph = import_graph(mods)
    assert graph[f"{PACKAGE}.b"] == {f"{PACKAGE}.sub.c"}
    assert cycles(graph) == [frozenset({f"{PACKAGE}.a", f"{PACKAGE}.b", f"{PACKAGE}.sub.c"})]
    assert imports_of(f"{PACKAGE}.b", pkg / "b.py", mods)[1] == [(f"{PACKAGE}.sub.c", "_hidden")]
    assert cycles({"x": {"y"}, "y": set()}) == []
