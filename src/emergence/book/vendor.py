"""Third-party browser files the book serves itself, so that it works offline.

A book page needs three scripts that Jupyter Book would otherwise load from public CDNs: require.js,
the Jupyter widget manager for static pages (``@jupyter-widgets/html-manager``, which renders the
saved widget state and runs the ``jslink`` links between widgets) and MathJax. At build time
:func:`install` fetches the pinned npm tarballs below from the npm registry (once; they are cached
in ``$EMERGENCE_VENDOR_DIR``, default ``~/.cache/emergence/vendor``), verifies each against its
published SHA-512 integrity, and copies the files the pages need into the book's ``_static``.
Nothing here is committed to git. When a tarball cannot be had (no network, no cache), the build
says so and the pages fall back to the CDNs.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import io
import os
import shutil
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class NpmPackage:
    """One pinned npm package and the files of it the book serves."""

    name: str
    version: str
    integrity: str  # the registry's ``dist.integrity`` (SHA-512, base64)
    files: tuple[str, ...]  # glob patterns relative to the package root
    folder: str  # where the files go under ``_static/vendor/``

    @property
    def tarball_url(self) -> str:
        return f"{REGISTRY}/{self.name}/-/{self.name.split('/')[-1]}-{self.version}.tgz"


PACKAGES = (
    NpmPackage("requirejs", "2.3.7",
               "sha512-DouTG8T1WanGok6Qjg2SXuCMzszOo0eHeH9hDZ5Y4x8Je+9JB38HdTLT4/VA8OaUhBa0JPVHJ0pyBkM1z+pDsw==",
               ("require.js", "README.md"), "requirejs"),
    # the version myst-nb pairs with ipywidgets 8
    NpmPackage("@jupyter-widgets/html-manager", "1.0.6",
               "sha512-+Mn+Ra8wyIHrYaUpfmf9A3dsLkt/NuwzPQN8sthdxBD35VV5cOJbpmgMhNR27n/rmP3mKyEe0PWCJrtZrXTXDQ==",
               ("dist/embed-amd.js", "dist/*.woff", "dist/*.woff2", "dist/*.ttf", "dist/*.eot",
                "dist/*.svg", "dist/*.LICENSE.txt"), "html-manager"),
    # Sphinx 7 uses MathJax 3 with the tex-mml-chtml component
    NpmPackage("mathjax", "3.2.2",
               "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
               ("LICENSE", "es5/tex-mml-chtml.js", "es5/input/*", "es5/output/*", "es5/ui/*",
                "es5/a11y/*", "es5/adaptors/*"), "mathjax"),
)

#: Sphinx settings that point the pages at the served files (paths relative to ``_static``).
SPHINX_CONFIG = {
    "mathjax_path": "vendor/mathjax/es5/tex-mml-chtml.js",
    "nb_ipywidgets_js": {
        "vendor/requirejs/require.js": {},
        "vendor/emergence-widgets.js": {},  # ours: font path and MathJax 3 bridge, see the file
        "vendor/html-manager/dist/embed-amd.js": {},
    },
}
OWN_SCRIPT = Path(__file__).resolve().parent / "static" / "emergence-widgets.js"


def vendor_dir() -> Path:
    return Path(os.environ.get("EMERGENCE_VENDOR_DIR", "~/.cache/emergence/vendor")).expanduser()


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def tarball(package: NpmPackage, timeout: float = 60) -> bytes:
    """The verified tarball of ``package``, from the cache or the registry (then cached)."""
    cache = vendor_dir() / f"{package.folder}-{package.version}.tgz"
    if cache.exists():
        data = cache.read_bytes()
        if integrity_of(data) == package.integrity:
            return data
        cache.unlink()  # damaged: fetch again
    with urllib.request.urlopen(package.tarball_url, timeout=timeout) as response:
        data = response.read()
    if integrity_of(data) != package.integrity:
        raise ValueError(f"{package.name}@{package.version}: the downloaded tarball does not "
                         "match its pinned SHA-512 integrity.")
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(data)
    return data


def extract(package: NpmPackage, data: bytes, target: Path) -> int:
    """Copy the files of ``package`` matching its patterns into ``target``; return their count."""
    count = 0
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            relative = member.name.split("/", 1)[-1]  # drop npm's leading "package/"
            if not member.isfile() or ".." in relative.split("/"):
                continue
            if any(fnmatch.fnmatch(relative, pattern) for pattern in package.files):
                destination = target / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source, open(destination, "wb") as out:
                    shutil.copyfileobj(source, out)
                count += 1
    if count == 0:
        raise ValueError(f"{package.name}@{package.version}: none of {package.files} found.")
    return count


def install(static_dir: Path) -> dict | None:
    """Put the pinned files under ``static_dir/vendor``; return :data:`SPHINX_CONFIG`, or ``None``
    (and say why) when a package cannot be had, so that the pages use the CDNs instead.

    ``static_dir`` must be listed in Sphinx's ``html_static_path``: its contents are copied to the
    built book's ``_static``.
    """
    try:
        for package in PACKAGES:
            extract(package, tarball(package), static_dir / "vendor" / package.folder)
    except (OSError, ValueError) as error:
        print(f"[book] NOTICE: could not obtain the offline browser files ({error}); the pages "
              "will load the widget manager, require.js and MathJax from public CDNs.")
        shutil.rmtree(static_dir / "vendor", ignore_errors=True)
        return None
    shutil.copy(OWN_SCRIPT, static_dir / "vendor" / OWN_SCRIPT.name)
    versions = ", ".join(f"{p.name}@{p.version}" for p in PACKAGES)
    (static_dir / "vendor" / "VERSIONS.txt").write_text(
        "Served by this book so that it works offline (from the npm registry, SHA-512 verified):\n"
        + "\n".join(f"{p.name}@{p.version} {p.integrity}" for p in PACKAGES) + "\n")
    print(f"[book] serving {versions} from _static/vendor (offline-ready)")
    return SPHINX_CONFIG
