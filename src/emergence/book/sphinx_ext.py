"""A small Sphinx extension for the book (listed in ``_config.yml`` under ``extra_extensions``).

Jupyter Book 1.0.4 with Sphinx 7.4 emits some inline scripts twice on every page (the
sphinx-thebe and sphinx-togglebutton configuration); the second ``const THEBE_JS_URL`` is a
JavaScript error in the reader's browser. This extension drops exact duplicate script entries
from each page before it is written. It also adds the book's style sheet
(``static/css/emergence-book.css``: wide tables such as the claims tables fit the page) and
registers the author–year labels of the reference list (:mod:`emergence.book.bibliography`),
and makes every figure of a page a link to its PNG, so that a reader on a phone can open it at
full size (:func:`link_figures`).
"""

from __future__ import annotations

import re
from pathlib import Path

from emergence.book import bibliography

CSS_DIR = Path(__file__).resolve().parent / "static" / "css"


def _script_key(script) -> tuple:
    attributes = getattr(script, "attributes", {}) or {}
    filename = getattr(script, "filename", script) or ""  # inline scripts: None or ""
    return str(filename), tuple(sorted(attributes.items()))


def drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


# a picture of the page's own (``_images/``) not already inside a link
_PICTURE = re.compile(r'(<a\b[^>]*>\s*)?(<img\b[^>]*\bsrc="([^"]*_images/[^"]+)"[^>]*>)')


def _linked(match: re.Match) -> str:
    if match.group(1):  # already a link
        return match.group(0)
    return (f'<a class="figure-zoom" href="{match.group(3)}" title="open the figure at full '
            f'size">{match.group(2)}</a>')


def link_figures(app, pagename, templatename, context, doctree) -> None:
    """Wrap every ``_images/`` picture of the page's body in a link to the picture itself."""
    if context.get("body"):
        context["body"] = _PICTURE.sub(_linked, context["body"])


def add_style_sheet(app) -> None:
    app.config.html_static_path.append(str(CSS_DIR))


def setup(app):
    bibliography.register()
    app.connect("builder-inited", add_style_sheet)
    app.add_css_file("emergence-book.css")
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("html-page-context", link_figures)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
