"""The layout stays what docs/development.md says: few modules directly in bot/, packages that
import only what their docstring allows, no import cycles, and adapters/surveys/storage never
importing bot."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("dialogue", "runtime", "scheduled", "staff", "config")
# what each part of bot/ may import ("shared": the modules directly in bot/ and bot.config)
ALLOWED = {
    "shared": {"shared", "config"},
    "config": {"shared", "config"},
    "dialogue": {"shared", "config", "dialogue"},
    "scheduled": {"shared", "config", "dialogue", "scheduled"},
    "runtime": {"shared", "config", "dialogue", "scheduled", "runtime"},
    "staff": {"shared", "config", "dialogue", "scheduled", "runtime", "staff"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in PACKAGES:
        return parts[1]
    return "shared"


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


MODULES = {module_name(p): p for p in sorted((ROOT / "bot").rglob("*.py"))}


def bot_imports(module: str) -> set[str]:
    return {name for name in imports(MODULES[module]) if name in MODULES and name != module}


def test_few_modules_directly_in_bot() -> None:
    direct = [p.name for p in (ROOT / "bot").glob("*.py") if p.name != "__init__.py"]
    assert len(direct) <= 10, direct


def test_every_package_says_what_it_holds_and_may_import() -> None:
    for package in PACKAGES:
        doc = ast.get_docstring(ast.parse((ROOT / "bot" / package / "__init__.py").read_text(encoding="utf-8")))
        assert doc, package
        if package != "config":
            assert "May import" in doc, package


def test_each_part_of_bot_imports_only_what_it_may() -> None:
    wrong = [
        f"{module} imports {name}"
        for module in MODULES
        for name in bot_imports(module)
        if part_of(name) not in ALLOWED[part_of(module)]
    ]
    assert wrong == []


def test_no_import_cycles_in_bot() -> None:
    graph = {module: bot_imports(module) for module in MODULES}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for name in graph[module]:
            if state.get(name) == 1:
                cycles.append([*path[path.index(name) :], name] if name in path else [module, name])
            elif name not in state:
                visit(name, [*path, name])
        state[module] = 2

    for module in graph:
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_adapters_surveys_and_storage_never_import_bot() -> None:
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for package in ("adapters", "surveys", "storage")
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in imports(path)
        if name == "bot" or name.startswith("bot.")
    ]
    assert wrong == []
