#!/usr/bin/env python3
"""Write each addon's README.rst and static/description/index.html from its
readme/*.md fragments, OCA's layout (the layout of oca-gen-addon-readme).

Usage: gen_readme.py [--check] [ADDON ...]   (default: every addon of the repository)

The fragments, in this order when present: DESCRIPTION, CONTEXT (Use Cases /
Context), INSTALL, CONFIGURE, USAGE, DEVELOP, ROADMAP, HISTORY (changelog, one
"## <version>" heading per release), CONTRIBUTORS, CREDITS. They are plain
Markdown of a small kind: paragraphs, "- " and "1. " lists (continued and
nested by indented lines), "#" to "####" headings, pipe tables, fenced code
blocks, images alone on their line, **bold**, *italic*, `code`, [links](url)
and <https://...>. An image is written as OCA's fragments write it, relative
to readme/ (`![alt](../static/description/shot.png)`): README.rst gets
`static/description/shot.png`, index.html `shot.png` (Odoo's Apps page serves
it from /<addon>/static/description/).

index.html is README.rst rendered by docutils (html4css1, as OCA's); any
docutils warning stops the generator, so the README.rst is also checked to be
valid reStructuredText. With --check nothing is written: exit 1 when a
README.rst or index.html differs from what the fragments give. Needs docutils
(requirements-test.txt, in .venv: `make readme`).
"""

import ast
import hashlib
import posixpath
import re
import sys
from pathlib import Path

try:
    from docutils.core import publish_string
except ImportError:  # pragma: no cover
    publish_string = None

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = [
    ("CONTEXT", "Use Cases / Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
]
UNDERLINES = {1: "=", 2: "~", 3: "^", 4: '"', 5: "'"}
LICENSE_BADGES = {
    "LGPL-3": ("LGPL--3", "http://www.gnu.org/licenses/lgpl-3.0-standalone.html"),
    "AGPL-3": ("AGPL--3", "http://www.gnu.org/licenses/agpl-3.0-standalone.html"),
    "GPL-3": ("GPL--3", "http://www.gnu.org/licenses/gpl-3.0-standalone.html"),
    "OPL-1": ("OPL--1", "https://www.odoo.com/documentation/master/legal/licenses.html"),
}
IMAGE_DIR = "static/description"
# docutils settings of OCA's generator (from pypa/readme_renderer), plus: no
# XML declaration (Odoo 17+ warns about one in index.html), any warning stops,
# and no docutils.conf of the machine changes the output.
HTML_SETTINGS = {
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "halt_level": 2,
    "smart_quotes": True,
    "syntax_highlight": "short",
    "math_output": "MathJax",
    "output_encoding": "utf-8",
    "xml_declaration": False,
    "_disable_config": True,
}


def inline(text):
    """Markdown inline markup to reStructuredText."""
    code = []

    def keep_code(match):
        code.append(match.group(1))
        return f"\0{len(code) - 1}\0"

    text = re.sub(r"`([^`]+)`", keep_code, text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`__", text)
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"**\1**", text)
    text = re.sub(r"(?<![*\w])\*([^*\s][^*]*)\*(?![*\w])", r"*\1*", text)
    text = re.sub(r"(?<![\w])_([^_\s][^_]*)_(?![\w])", r"*\1*", text)
    return re.sub(r"\0(\d+)\0", lambda m: f"``{code[int(m.group(1))]}``", text)


def image_path(path, for_html):
    """A fragment's image path (relative to readme/) as README.rst or index.html needs it."""
    if re.match(r"^[a-z]+://", path):
        return path
    path = posixpath.normpath(posixpath.join("readme", path))
    return posixpath.relpath(path, IMAGE_DIR) if for_html else path


def table(rows):
    """Markdown pipe table rows to a list-table (header, separator, body)."""
    cells = [[inline(c.strip()) for c in row.strip().strip("|").split("|")] for row in rows]
    header, body = cells[0], cells[2:]
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header, *body]:
        full = row + [""] * (len(header) - len(row))
        out.append(f"   * - {full[0]}" if full[0] else "   * -")
        out += [f"     - {cell}" if cell else "     -" for cell in full[1:]]
    return out


def md_to_rst(markdown, level, for_html=False):
    """Convert a fragment; its "#" headings become titles below `level`."""
    out = []
    lines = markdown.strip("\n").splitlines()
    # The fragment's biggest heading becomes a title one level below `level`.
    top = min((len(m.group(1)) for m in (re.match(r"^(#{1,4})\s", x) for x in lines) if m), default=1)
    levels = []  # open list levels: (markdown indent, item's indent, its text's indent), in reStructuredText
    i = 0

    def blank():
        if out and out[-1] != "":
            out.append("")

    while i < len(lines):
        line = lines[i]
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        item = re.match(r"^(\s*)([-*]|\d+\.)\s+(.*)$", line)
        if heading:
            title = inline(heading.group(2).strip())
            depth = min(level + 1 + len(heading.group(1)) - top, 5)
            blank()
            out += [title, UNDERLINES[depth] * len(title), ""]
            levels = []
        elif line.startswith("```"):
            blank()
            out += ["::", ""]
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                out.append(("    " + lines[i]).rstrip())
                i += 1
            out.append("")
            levels = []
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(lines[i])
                i += 1
            blank()
            out += [*table(rows), ""]
            levels = []
            continue
        elif re.match(r"^!\[([^\]]*)\]\(([^)]+)\)\s*$", line):
            alt, path = re.match(r"^!\[([^\]]*)\]\(([^)]+)\)", line).groups()
            blank()
            out += [f".. image:: {image_path(path, for_html)}", f"   :alt: {alt}", ""]
            levels = []
        elif item:
            indent, marker, text = len(item.group(1)), item.group(2), item.group(3)
            while levels and levels[-1][0] > indent:
                levels.pop()
                blank()
            if levels and levels[-1][0] == indent:
                prefix = levels.pop()[1]
            else:
                prefix = levels[-1][2] if levels else 0
                blank()
            bullet = "-" if marker in "-*" else marker
            out.append(" " * prefix + f"{bullet} {inline(text)}")
            levels.append((indent, prefix, prefix + len(bullet) + 1))
        elif not line.strip():
            out.append("")
            # a list goes on after a blank line only with another item or an indented line
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if not following.startswith(" ") and not re.match(r"^([-*]|\d+\.)\s", following):
                levels = []
        elif levels and line.startswith(" "):
            out.append(" " * levels[-1][2] + inline(line.strip()))
        else:
            if levels:
                blank()
            levels = []
            out.append(inline(line.strip()))
        i += 1
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def fragment(addon, name):
    path = addon / "readme" / f"{name}.md"
    return path.read_text() if path.is_file() else None


def title(text, char, overline=False):
    bar = char * len(text)
    return [bar, text, bar] if overline else [text, bar]


def render(addon, for_html=False):
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
        body += [md_to_rst(description, 1, for_html), ""]
    body += ["**Table of contents**", "", ".. contents::", "   :local:", ""]
    for key, heading in SECTIONS:
        text = fragment(addon, key)
        if text is None:
            continue
        sources.append(text)
        body += [*title(heading, "="), "", md_to_rst(text, 1, for_html), ""]
    body += [*title("Credits", "="), "", *title("Authors", "~"), ""]
    body += [f"- {author.strip()}" for author in manifest.get("author", "").split(",") if author.strip()]
    body.append("")
    for key, heading in (("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits")):
        text = fragment(addon, key)
        if text is None:
            continue
        sources.append(text)
        body += [*title(heading, "~"), "", md_to_rst(text, 2, for_html), ""]
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


def render_html(addon):
    """index.html: the README.rst (with the image paths of static/description/) through docutils."""
    source = render(addon, for_html=True)
    html = publish_string(
        source=source,
        source_path=f"{addon.name}/README.rst",
        writer_name="html4css1",
        settings_overrides=HTML_SETTINGS,
    )
    # without docutils' version, so that another docutils does not show as a change
    return re.sub(rb"(<meta.*generator.*Docutils)\s*[\d.]+", rb"\1", html).decode()


def addons_of_repo():
    return sorted(p.name for p in ROOT.iterdir() if (p / "__manifest__.py").is_file())


def main(argv):
    if publish_string is None:
        print("gen_readme.py needs docutils (requirements-test.txt): run it with .venv/bin/python, or 'make readme'")
        return 2
    check = "--check" in argv
    names = [a for a in argv if a != "--check"] or addons_of_repo()
    stale = []
    for name in names:
        addon = ROOT / name
        for path, wanted in (
            (addon / "README.rst", render(addon)),
            (addon / IMAGE_DIR / "index.html", render_html(addon)),
        ):
            current = path.read_text() if path.exists() else ""
            if current == wanted:
                continue
            if check:
                stale.append(path.relative_to(ROOT))
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(wanted)
                print(f"{path.relative_to(ROOT)} written")
    for path in stale:
        print(f"{path} does not match {path.parts[0]}/readme/*.md: run 'make readme' and commit it")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
