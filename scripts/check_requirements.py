"""Prints the lines of a pip requirements file that are not installed at the pinned version.

Used by scripts/setup.sh so that pip only runs when something is missing. Lines are
`name==version`; blank lines and comments are ignored.
"""
import sys
from importlib import metadata

missing = []
for raw in open(sys.argv[1], encoding="utf-8"):
    line = raw.split("#", 1)[0].strip()
    if not line:
        continue
    name, _, version = line.partition("==")
    name = name.split("[", 1)[0].strip()
    try:
        if version and metadata.version(name) != version.strip():
            missing.append(line)
    except metadata.PackageNotFoundError:
        missing.append(line)
print("\n".join(missing))
