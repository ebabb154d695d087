#!/usr/bin/env python3
# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Write the README.rst of each addon (customer_success,
customer_success_l10n_br, customer_success_helpdesk) from its readme/ fragments.

OCA's oca-gen-addon-readme is not on PyPI, so this does the same job for the
Markdown subset our fragments use (paragraphs, lists, emphasis, inline code).
With --check it fails when a README.rst is not what its fragments give.
"""

import ast
import pathlib
import re
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
ADDONS = [
    REPO / "customer_success",
    REPO / "customer_success_l10n_br",
    REPO / "customer_success_helpdesk",
]
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("CONTRIBUTORS.md", "Contributors"),
]


def md_to_rst(text):
    # `code` -> ``code``; **bold** and *italic* are the same in both.
    text = re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", text)
    # [label](url) -> `label <url>`_
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`__", text)
    return text.strip() + "\n"


def heading(title, char):
    return f"{title}\n{char * len(title)}\n"


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    name = manifest["name"]
    parts = [
        "=" * len(name),
        name,
        "=" * len(name),
        "",
        (
            "..\n   This file is generated from readme/*.md by scripts/gen_readme.py."
            "\n   Edit the fragments, then run: make readme"
        ),
        "",
        "|license| |version|",
        "",
        (
            ".. |license| image:: https://img.shields.io/badge/licence-"
            f"{manifest['license']}-blue.png"
        ),
        "   :alt: License: " + manifest["license"],
        (
            ".. |version| image:: https://img.shields.io/badge/version-"
            f"{manifest['version']}-brightgreen.png"
        ),
        "   :alt: Version " + manifest["version"],
        "",
        manifest["summary"],
        "",
    ]
    body = []
    for filename, title in SECTIONS:
        path = addon / "readme" / filename
        if not path.exists():
            continue
        if title:
            body.append(heading(title, "="))
        body.append(md_to_rst(path.read_text()))
    parts.append("**Table of contents**\n\n.. contents::\n   :local:\n")
    parts.append("\n".join(body))
    parts.append(heading("Authors", "="))
    parts.append(f"* {manifest['author']}\n")
    return "\n".join(parts)


def main(argv):
    stale = False
    for addon in ADDONS:
        target = addon / "README.rst"
        text = render(addon)
        if "--check" in argv:
            if not target.exists() or target.read_text() != text:
                print(f"{addon.name}/README.rst is stale: run `make readme`")
                stale = True
            continue
        target.write_text(text)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
