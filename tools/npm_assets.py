"""The JavaScript the HTML handouts and slides load, fetched from the npm registry once and used offline.

``fetch(package)`` runs ``npm pack <name>@<version>`` into a cache folder (``build/npm/``) the first time,
and checks the tarball against the sha512 pinned in ``PACKAGES``; ``copy(tarball, files, target)`` copies
the files a page needs next to it, so it works from a USB stick or a ``file://`` address."""

import base64
import hashlib
import shutil
import subprocess
import tarfile
from pathlib import Path

PACKAGES = {
    # name: (version, the registry's dist.integrity of that version)
    "mathjax": (
        "3.2.2",
        "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
    ),
    "axe-core": (  # the accessibility engine of the browser test, not shipped with the pages
        "4.14.1",
        "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
    ),
    "reveal.js": (
        "5.2.1",
        "sha512-r7//6mIM5p34hFiDMvYfXgyjXqGRta+/psd9YtytsgRlrpRzFv4RbH76TXd2qD+7ZPZEbpBDhdRhJaFgfQ7zNQ==",
    ),
}


class AssetError(Exception):
    """A package could not be fetched or is not the pinned one; the message says what to do."""


def fetch(package, cache_dir):
    """Path of the pinned npm tarball of ``package``, fetched with ``npm pack`` on first use."""
    version, integrity = PACKAGES[package]
    tarball = Path(cache_dir) / f"{package}-{version}.tgz"
    if not tarball.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise AssetError(
                f"npm is needed once, to fetch {package} for pages that work offline (npm pack "
                f"{package}@{version}). Install Node.js and npm (Debian: apt-get install npm), or put the "
                f"tarball at {tarball} yourself."
            )
        tarball.parent.mkdir(parents=True, exist_ok=True)
        print(f"fetching {package} {version} with npm pack into {tarball.parent}/")
        subprocess.run(
            [npm, "pack", "--silent", "--pack-destination", str(tarball.parent), f"{package}@{version}"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if f"sha512-{digest}" != integrity:
        raise AssetError(f"{tarball} does not match the pinned sha512 of {package}@{version}; delete it and run again.")
    return tarball


def copy(tarball, files, target):
    """Copy ``files`` (paths inside the package; a path ending in ``/`` copies that folder) into ``target``,
    keeping their paths."""
    target = Path(target)
    with tarfile.open(tarball) as archive:
        members = archive.getmembers()
        for wanted in files:
            found = [
                m
                for m in members
                if m.isfile()
                and (m.name == f"package/{wanted}" or wanted.endswith("/") and m.name.startswith(f"package/{wanted}"))
            ]
            if not found:
                raise AssetError(f"{wanted} missing from {tarball}")
            for member in found:
                path = target / member.name.removeprefix("package/")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(archive.extractfile(member).read())
