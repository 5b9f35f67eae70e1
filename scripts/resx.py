#!/usr/bin/env python3
"""Adds or updates entries in Portal/Resources/SharedResource{,.fr}.resx.

Usage: scripts/resx.py Key "English text" "Texte français" [Key2 "..." "..."]
Keeps the files sorted so that merges stay small.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "Portal" / "Resources"
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
    if len(args) % 3 != 0:
        sys.exit(__doc__)
    files = {"": ROOT / "SharedResource.resx", "fr": ROOT / "SharedResource.fr.resx"}
    data = {k: load(p) for k, p in files.items()}
    for i in range(0, len(args), 3):
        key, en, fr = args[i:i + 3]
        data[""][key] = en
        data["fr"][key] = fr
    for k, p in files.items():
        save(p, data[k])


if __name__ == "__main__":
    main(sys.argv[1:])
