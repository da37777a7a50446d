"""House rule: nothing outside counter_app/ui imports PySide6."""

import ast
from pathlib import Path

import counter_app

PACKAGE = Path(counter_app.__file__).parent


def qt_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [n for n in names if n.split(".")[0] in ("PySide6", "shiboken6")]
    return found


def test_only_ui_imports_pyside6():
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "ui":
            continue
        if qt := qt_imports(path):
            offenders[str(rel)] = qt
    assert offenders == {}


def test_the_scan_sees_ui_imports():
    # Guard against a scan that silently finds nothing.
    assert qt_imports(PACKAGE / "ui" / "shell" / "main_window.py")


def test_migrate_head_constant_matches_alembic():
    from alembic.script import ScriptDirectory

    from counter_app.db.migrate import HEAD, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


def test_package_data_covers_files_loaded_from_disk():
    """Migrations and compiled translations are read by path at run time: an install
    without them starts with no schema or no Chinese."""
    import tomllib

    root = PACKAGE.parents[1]
    patterns = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["counter_app"]
    shipped = {p for pattern in patterns for p in PACKAGE.glob(pattern)}
    needed = [*PACKAGE.glob("db/migrations/versions/*.py"), PACKAGE / "db/migrations/env.py",
              PACKAGE / "db/migrations/script.py.mako", *PACKAGE.glob("ui/i18n/*.qm"),
              *PACKAGE.glob("district/migrations/versions/*.py"),
              *PACKAGE.glob("district/migrations/sql/*.sql"), PACKAGE / "district/migrations/env.py"]
    assert len(needed) >= 8 and not [str(p) for p in needed if p not in shipped]


def _ui_imports(path: Path) -> set[str]:
    """Every counter_app.ui module a ui module imports, at the top or inside a function:
    a lazy import is still a dependency, and a cycle through one is still a tangle."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
                "counter_app.ui"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if (PACKAGE.parent / (sub.replace(".", "/") + ".py")).exists()
                          else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("counter_app.ui")}
    return found


def ui_import_graph() -> dict[str, set[str]]:
    graph = {}
    for path in (PACKAGE / "ui").rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        graph[name.removesuffix(".__init__")] = _ui_imports(path)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return cycles


def test_ui_has_no_import_cycles():
    graph = ui_import_graph()
    assert len(graph) > 30 and any(graph.values()), "the scan found no ui modules"
    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_ui_is_organised_by_area():
    """Flat ui/ is what made the tangle: modules live in an area folder, except the entry
    point and the page registry."""
    flat = sorted(p.name for p in (PACKAGE / "ui").glob("*.py"))
    assert flat == ["__init__.py", "app.py", "pages.py"]
