#!/usr/bin/env python3
"""Refresh the JavaScript vendored from npm into static/vendor/.

Each line of scripts/vendor-js.txt names one npm package at an exact version and
the files to take from it:

    axe-core@4.10.3  axe.min.js
    dexie@4.0.10     dist/dexie.min.js dist/dexie.min.js.map

For every line this script runs ``npm pack NAME@VERSION`` (the npm registry, the
only network it uses), unpacks the tarball in a temporary folder and copies the
listed files, the package's licence file(s) and its package.json version into
``static/vendor/<name>/``. Nothing else is kept: no node_modules, no archive.

    python3 scripts/vendor_js.py            # refresh every package
    python3 scripts/vendor_js.py axe-core   # only the named ones
    python3 scripts/vendor_js.py --check    # exit 1 if a folder is missing or stale
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "scripts" / "vendor-js.txt"
VENDOR = ROOT / "static" / "vendor"
LICENCE_NAMES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE", "LICENSE-MIT", "COPYING")


def read_manifest() -> list[tuple[str, str, list[str]]]:
    entries = []
    for raw in MANIFEST.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        spec, *files = line.split()
        name, sep, version = spec.rpartition("@")
        if not sep or not name or not version or not files:
            sys.exit(f"{MANIFEST.name}: cannot read {raw!r} (want NAME@VERSION FILE...)")
        entries.append((name, version, files))
    return entries


def folder_for(name: str) -> Path:
    return VENDOR / name.replace("/", "__").lstrip("@")


def vendor(name: str, version: str, files: list[str]) -> None:
    dest = folder_for(name)
    with tempfile.TemporaryDirectory() as tmp:
        out = (
            subprocess.run(
                ["npm", "pack", f"{name}@{version}", "--silent", "--pack-destination", tmp],
                check=True,
                capture_output=True,
                text=True,
                cwd=tmp,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        with tarfile.open(Path(tmp) / out) as tar:
            tar.extractall(tmp, filter="data")
        pkg = Path(tmp) / "package"
        meta = json.loads((pkg / "package.json").read_text(encoding="utf-8"))
        if meta.get("version") != version:
            sys.exit(f"{name}: npm gave {meta.get('version')}, manifest says {version}")
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for rel in files:
            src = pkg / rel
            if not src.is_file():
                sys.exit(f"{name}@{version} has no file {rel}")
            target = dest / Path(rel).name
            shutil.copyfile(src, target)
        licences = [p for p in pkg.iterdir() if p.name in LICENCE_NAMES]
        if not licences:
            sys.exit(f"{name}@{version} ships no licence file; vendor it by hand with its licence")
        for lic in licences:
            shutil.copyfile(lic, dest / lic.name)
        (dest / "VERSION").write_text(
            f"{name}@{version}\nlicense: {meta.get('license', '?')}\n"
            f"source: https://www.npmjs.com/package/{name}/v/{version}\n"
            f"files: {' '.join(files)}\n",
            encoding="utf-8",
        )
    print(f"vendored {name}@{version} -> {dest.relative_to(ROOT)}")


def is_current(name: str, version: str, files: list[str]) -> bool:
    dest = folder_for(name)
    version_file = dest / "VERSION"
    if not version_file.is_file():
        return False
    if version_file.read_text(encoding="utf-8").splitlines()[0] != f"{name}@{version}":
        return False
    return all((dest / Path(rel).name).is_file() for rel in files)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    wanted = {a for a in argv if not a.startswith("--")}
    entries = [e for e in read_manifest() if not wanted or e[0] in wanted]
    if check:
        stale = [f"{n}@{v}" for n, v, f in entries if not is_current(n, v, f)]
        for s in stale:
            print(f"stale or missing: {s} (run scripts/vendor_js.py)")
        return 1 if stale else 0
    for name, version, files in entries:
        vendor(name, version, files)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
