#!/usr/bin/env python3
"""Write each addon's README.rst from its readme/*.md fragments, OCA's layout.

Usage: gen_readme.py [--check] [ADDON ...]   (default: every addon of the repository)

The fragments, in this order when present: DESCRIPTION, INSTALL, CONFIGURE,
USAGE, ROADMAP, HISTORY (changelog, one "## <version>" heading per release),
CONTRIBUTORS, CREDITS. They are plain Markdown of a small kind: paragraphs,
"- " lists (continued by indented lines), "#"/"##"/"###" headings, **bold**,
*italic*, `code` and [links](url). With --check nothing is written: exit 1
when a README.rst differs from what the fragments give.
"""

import ast
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = [
    ("DESCRIPTION", None),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
]
UNDERLINES = {1: "=", 2: "~", 3: "^", 4: '"'}
LICENSE_BADGES = {
    "LGPL-3": ("LGPL--3", "http://www.gnu.org/licenses/lgpl-3.0-standalone.html"),
    "AGPL-3": ("AGPL--3", "http://www.gnu.org/licenses/agpl-3.0-standalone.html"),
    "GPL-3": ("GPL--3", "http://www.gnu.org/licenses/gpl-3.0-standalone.html"),
    "OPL-1": ("OPL--1", "https://www.odoo.com/documentation/master/legal/licenses.html"),
}


def inline(text):
    """Markdown inline markup to reStructuredText."""
    code = []

    def keep_code(match):
        code.append(match.group(1))
        return f"\0{len(code) - 1}\0"

    text = re.sub(r"`([^`]+)`", keep_code, text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`__", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"**\1**", text)
    text = re.sub(r"(?<![*\w])\*([^*\s][^*]*)\*(?![*\w])", r"*\1*", text)
    text = re.sub(r"(?<![\w])_([^_\s][^_]*)_(?![\w])", r"*\1*", text)
    return re.sub(r"\0(\d+)\0", lambda m: f"``{code[int(m.group(1))]}``", text)


def md_to_rst(markdown, level):
    """Convert a fragment; its "#" headings become titles below `level`."""
    out = []
    lines = markdown.strip("\n").splitlines()
    in_list = False
    # The fragment's biggest heading becomes a title one level below `level`.
    top = min((len(m.group(1)) for m in (re.match(r"^(#{1,4})\s", x) for x in lines) if m), default=1)
    for line in lines:
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        if heading:
            title = inline(heading.group(2).strip())
            depth = min(level + 1 + len(heading.group(1)) - top, 4)
            out += ["", title, UNDERLINES[depth] * len(title), ""]
            in_list = False
            continue
        item = re.match(r"^(\s*)[-*]\s+(.*)$", line)
        if item:
            indent = "  " * (len(item.group(1)) // 2)
            if not in_list and out and out[-1] != "":
                out.append("")
            out.append(f"{indent}- {inline(item.group(2))}")
            in_list = True
            continue
        if not line.strip():
            out.append("")
            in_list = False
            continue
        if in_list and line.startswith(" "):
            out.append("  " + inline(line.strip()))
            continue
        out.append(inline(line.strip()))
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def fragment(addon, name):
    path = addon / "readme" / f"{name}.md"
    return path.read_text() if path.is_file() else None


def title(text, char, overline=False):
    bar = char * len(text)
    return [bar, text, bar] if overline else [text, bar]


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    name = manifest["name"]
    body = []
    sources = []
    description = fragment(addon, "DESCRIPTION")
    label, url = LICENSE_BADGES.get(manifest.get("license", ""), (manifest.get("license", "unknown"), ""))
    body += [
        ".. |badge1| image:: https://img.shields.io/badge/maturity-Beta-yellow.png",
        "    :target: https://odoo-community.org/page/development-status",
        "    :alt: Beta",
        f".. |badge2| image:: https://img.shields.io/badge/licence-{label}-blue.png",
        f"    :target: {url}",
        f"    :alt: License: {manifest.get('license', '')}",
        "",
        "|badge1| |badge2|",
        "",
    ]
    if description:
        sources.append(description)
        body += [md_to_rst(description, 1), ""]
    body += ["**Table of contents**", "", ".. contents::", "   :local:", ""]
    for key, heading in SECTIONS[1:]:
        text = fragment(addon, key)
        if text is None:
            continue
        sources.append(text)
        body += [*title(heading, "="), "", md_to_rst(text, 1), ""]
    body += [*title("Credits", "="), "", *title("Authors", "~"), ""]
    body += [f"- {author.strip()}" for author in manifest.get("author", "").split(",") if author.strip()]
    body.append("")
    for key, heading in (("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits")):
        text = fragment(addon, key)
        if text is None:
            continue
        sources.append(text)
        body += [*title(heading, "~"), "", md_to_rst(text, 2), ""]
    digest = hashlib.sha256("\n".join(sources).encode()).hexdigest()
    head = [
        ".. !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "   !! This file is generated by tools/gen_readme.py from readme/*.md.  !!",
        "   !! Changes here are lost: edit the fragments, then make readme.     !!",
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "",
        f".. !! source digest: sha256:{digest}",
        "",
        *title(name, "=", overline=True),
        "",
    ]
    return "\n".join(head + body).rstrip("\n") + "\n"


def addons_of_repo():
    return sorted(p.name for p in ROOT.iterdir() if (p / "__manifest__.py").is_file())


def main(argv):
    check = "--check" in argv
    names = [a for a in argv if a != "--check"] or addons_of_repo()
    stale = []
    for name in names:
        addon = ROOT / name
        wanted = render(addon)
        path = addon / "README.rst"
        current = path.read_text() if path.exists() else ""
        if current == wanted:
            continue
        if check:
            stale.append(name)
        else:
            path.write_text(wanted)
            print(f"{path.relative_to(ROOT)} written")
    for name in stale:
        print(f"{name}/README.rst does not match {name}/readme/*.md: run 'make readme' and commit it")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
