#!/usr/bin/env python3
"""Adds or updates entries in a pair of resource files (English and French).

Usage: scripts/resx.py [--file Portal/Features/Intake/IntakeText] Key "English text" "Texte français" [...]
Without --file it writes Portal/Resources/SharedResource{,.fr}.resx. A feature's own strings live beside it
in a resource class of its own (a marker class with the same name as the .resx), so features do not collide.
Keeps the files sorted so that merges stay small.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEADER = """<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
"""


def load(path):
    if not path.exists():
        return {}
    tree = ET.parse(path)
    return {d.get("name"): (d.findtext("value") or "") for d in tree.getroot().findall("data")}


def save(path, entries):
    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    lines = [HEADER]
    for key in sorted(entries):
        lines.append(f'  <data name="{esc(key)}" xml:space="preserve"><value>{esc(entries[key])}</value></data>\n')
    lines.append("</root>\n")
    path.write_text("".join(lines), encoding="utf-8")


def main(args):
    base = REPO / "Portal" / "Resources" / "SharedResource"
    if args[:1] == ["--file"]:
        base = REPO / args[1]
        args = args[2:]
    if not args or len(args) % 3 != 0:
        sys.exit(__doc__)
    files = {"": base.with_name(base.name + ".resx"), "fr": base.with_name(base.name + ".fr.resx")}
    data = {k: load(p) for k, p in files.items()}
    for i in range(0, len(args), 3):
        key, en, fr = args[i:i + 3]
        data[""][key] = en
        data["fr"][key] = fr
    for k, p in files.items():
        save(p, data[k])


if __name__ == "__main__":
    main(sys.argv[1:])
