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
    assert qt_imports(PACKAGE / "ui" / "app.py")


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
              PACKAGE / "db/migrations/script.py.mako", *PACKAGE.glob("ui/i18n/*.qm")]
    assert len(needed) >= 4 and not [str(p) for p in needed if p not in shipped]
