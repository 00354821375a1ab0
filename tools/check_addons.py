#!/usr/bin/env python3
"""Checks no linter here does (STYLE.md): Odoo 18 view syntax, cron fields,
access rules for every new model, manifest sanity, well-formed XML, and that
every data file is declared in the manifest.

Usage: check_addons.py ADDON [ADDON ...]; exit 1 with one line per problem.
"""

import ast
import csv
import re
import sys
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
LICENSES = {"LGPL-3", "AGPL-3", "OPL-1", "GPL-3"}


def check_manifest(addon, problems):
    path = addon / "__manifest__.py"
    try:
        manifest = ast.literal_eval(path.read_text())
    except (OSError, ValueError, SyntaxError) as exc:
        problems.append(f"{path}: cannot be read as a literal dict ({exc})")
        return {}
    # one tree for two series: the version carries no series, Odoo prefixes
    # the one it runs (odoo/modules/module.py adapt_version, 18.0 and 19.0)
    version = manifest.get("version", "")
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        problems.append(f"{path}: version {version!r} is not x.y.z (Odoo adds the series it runs)")
    if manifest.get("license") not in LICENSES:
        problems.append(f"{path}: license {manifest.get('license')!r} not in {sorted(LICENSES)}")
    for key in ("data", "demo"):
        for name in manifest.get(key, []):
            if not (addon / name).is_file():
                problems.append(f"{path}: {key} file {name} does not exist")
    declared = set(manifest.get("data", [])) | set(manifest.get("demo", []))
    for folder in ("views", "security", "data", "demo", "wizards", "report"):
        for file in sorted((addon / folder).glob("*")):
            if file.suffix in {".xml", ".csv"}:
                rel = file.relative_to(addon).as_posix()
                if rel not in declared:
                    problems.append(f"{file}: not declared in the manifest")
    return manifest


def check_xml(file, problems):
    text = file.read_text()
    try:
        tree = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        problems.append(f"{file}: not well-formed XML ({exc})")
        return
    if re.search(r"<tree[\s>]", text):
        problems.append(f"{file}: <tree> is <list> in Odoo 18")
    if re.search(r"\sattrs=", text) or re.search(r"\sstates=\"", text):
        problems.append(f"{file}: attrs=/states= are gone in Odoo 18: use invisible=/readonly= expressions")
    for record in tree.iter("record"):
        model = record.get("model")
        for field in record.iter("field"):
            name = field.get("name")
            if model == "ir.cron" and name in {"numbercall", "doall"}:
                problems.append(f"{file}: ir.cron has no {name} in Odoo 18")
            if name == "view_mode" and field.text and "tree" in field.text:
                problems.append(f"{file}: view_mode {field.text!r}: use 'list'")


def new_models(addon):
    models = set()
    for file in addon.rglob("*.py"):
        try:
            tree = ast.parse(file.read_text())
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            attrs = {}
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                    if isinstance(stmt.value, ast.Constant):
                        attrs[stmt.targets[0].id] = stmt.value.value
                    elif isinstance(stmt.value, ast.List):
                        attrs[stmt.targets[0].id] = [
                            elt.value for elt in stmt.value.elts if isinstance(elt, ast.Constant)
                        ]
            abstract = (
                any(isinstance(base, ast.Attribute) and base.attr == "AbstractModel" for base in node.bases)
                or attrs.get("_auto") is False
                and attrs.get("_abstract", False)
            )
            inherit = attrs.get("_inherit") or []
            inherit = inherit if isinstance(inherit, list) else [inherit]
            if attrs.get("_name") and attrs["_name"] not in inherit and not abstract:
                models.add(attrs["_name"])
    return models


def check_access(addon, problems):
    csv_path = addon / "security" / "ir.model.access.csv"
    covered = set()
    if csv_path.exists():
        with csv_path.open() as fh:
            for row in csv.DictReader(fh):
                covered.add(row.get("model_id:id", "").split(".")[-1])
    for model in sorted(new_models(addon)):
        if "model_" + model.replace(".", "_") not in covered:
            problems.append(f"{addon}: model {model} has no line in security/ir.model.access.csv")


def check_test_imports(addon, problems):
    """Odoo's own test runner (``--test-enable``, what OCA's CI uses) runs only
    the test modules imported in ``tests/__init__.py``; pytest-odoo finds them
    all, so a missing import would pass here and be skipped there."""
    tests = addon / "tests"
    init = tests / "__init__.py"
    if not tests.is_dir():
        return
    imported = set()
    if init.is_file():
        for node in ast.walk(ast.parse(init.read_text())):
            if isinstance(node, ast.ImportFrom):
                imported.update(alias.name for alias in node.names)
    for module in sorted(tests.glob("test_*.py")):
        if module.stem not in imported:
            problems.append(f"{module}: not imported in {init.relative_to(ROOT)} (Odoo's test runner never runs it)")


def main(argv):
    problems = []
    for name in argv:
        addon = ROOT / name
        check_manifest(addon, problems)
        check_test_imports(addon, problems)
        for file in sorted(addon.rglob("*.xml")):
            check_xml(file, problems)
        check_access(addon, problems)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
