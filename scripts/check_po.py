#!/usr/bin/env python3
# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fail when pt_BR.po misses or leaves untranslated an entry of the .pot."""

import pathlib
import sys

import polib

REQUIRED_LANGS = ["pt_BR"]


def main():
    failed = False
    root = pathlib.Path(__file__).resolve().parent.parent
    for pot_path in sorted(root.glob("*/i18n/*.pot")):
        pot = polib.pofile(str(pot_path))
        wanted = {(entry.msgctxt, entry.msgid) for entry in pot if entry.msgid}
        for lang in REQUIRED_LANGS:
            po_path = pot_path.with_name(f"{lang}.po")
            if not po_path.exists():
                print(f"{po_path}: missing")
                failed = True
                continue
            po = polib.pofile(str(po_path))
            done = {
                (entry.msgctxt, entry.msgid)
                for entry in po
                if entry.translated() and not entry.obsolete
            }
            for _msgctxt, msgid in sorted(wanted - done, key=str):
                print(f"{po_path}: untranslated: {msgid[:70]!r}")
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
