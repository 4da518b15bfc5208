"""The smoke-built book in a real browser (Debian's headless Chromium), with the network blocked.

For every chapter page: no JavaScript errors, no request leaves localhost (the book is
self-contained), every saved widget has rendered, every explorer picture has alt text, moving
each explorer's slider changes the picture it shows, and MathJax has typeset the equations. For
every page: no Markdown left raw (tables, math, emphasis asterisks), no internal id in a table,
pictures shown large enough to read, figures with alt text that open at full size on a click,
nothing wider than a phone's screen at 390 px, and each chapter's reproduction summary a real
table that fits one screen at 1280 px, its verdict column on screen and no word in it split
inside at 390 px. Screenshots of
every page at 1280 px and 390 px wide and of each explorer at two slider positions (its opening
frame and one moved away) go to ``_build/screenshots/`` in the repository, so a person can look
at what a reader sees. In CI (``CI`` set) a missing browser is a failure.
"""

import functools
import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from conftest import REPO
from emergence.book.pipeline import chapter_names
from emergence.plotting import MIN_DISPLAY_RATIO, MIN_TEXT_PX

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SCREENSHOTS = REPO / "_build" / "screenshots"

VISIBLE_IMAGES = """explorer => Array.from(explorer.querySelectorAll('img'))
    .filter(img => img.offsetParent !== null).map(img => img.src)"""
# Markdown a page failed to render: a table row left as "| a | b |" text (a line that starts with
# a bar and holds at least three), or math left as "$…$"
RAW_MARKDOWN = r"""() => {
    const walker = document.createTreeWalker(document.querySelector('main') || document.body,
                                             NodeFilter.SHOW_TEXT);
    const raw = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest('pre, code, script, style, mjx-container, .MathJax'))
            continue;
        const text = node.textContent;
        if (/^\s*\|[^|\n]*\|[^|\n]*\|/m.test(text) || /\$[^$\s][^$]*\$/.test(text))
            raw.push(text.trim());
    }
    return raw.map(t => t.slice(0, 80));
}"""
# words wider than the summary-table cell that holds them (a browser then splits them inside,
# e.g. "reproduce|d"): each word measured in the cell's own font against the cell's inner width
SPLIT_WORDS = r"""() => {
    const table = document.querySelector('#reproduction-summary table.claims-summary');
    if (!table) return [];
    const context = document.createElement('canvas').getContext('2d');
    const split = [];
    for (const cell of table.querySelectorAll('td, th')) {
        if (cell.offsetParent === null) continue;  // a column hidden at this width
        const style = getComputedStyle(cell);
        context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = cell.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight);
        // a line may break at a space or after a hyphen or slash
        for (const word of cell.textContent.split(/\s+|(?<=[-–\/])/))
            if (word && context.measureText(word).width > room + 0.5) split.push(word);
    }
    return split;
}"""
# every visible picture of a cell's output: natural and displayed width, alt text, whether it is
# an explorer frame (a widget) or a static figure
PICTURES = """() => Array.from(document.querySelectorAll('.cell_output img'))
    .filter(img => img.offsetParent !== null)
    .map(img => ({natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
                  alt: img.alt, widget: img.closest('.jupyter-widgets') !== null}))"""
# Markdown emphasis left as visible asterisks ("**bold**", "*word*") in the text of a page
RAW_ASTERISKS = r"""() => {
    const walker = document.createTreeWalker(document.querySelector('main') || document.body,
                                             NodeFilter.SHOW_TEXT);
    const raw = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest('pre, code, script, style, mjx-container, .MathJax'))
            continue;
        const text = node.textContent;
        if (/\*\*/.test(text) || /(^|[\s(])\*[^\s*][^*]*[^\s*]\*([\s).,;:]|$)/.test(text))
            raw.push(text.trim().slice(0, 80));
    }
    return raw;
}"""
# an internal identifier (snake_case with two or more underscores, e.g. a claim id) in the text
# of a table cell, outside code
TABLE_IDS = r"""() => Array.from(document.querySelectorAll('main td')).flatMap(td => {
    const copy = td.cloneNode(true);
    copy.querySelectorAll('code, pre, mjx-container').forEach(c => c.remove());
    return copy.textContent.match(/\b[a-z0-9]+(_[a-z0-9]+){2,}\b/g) || [];
})"""
# the static figures of the chapters' outputs that do not open at full size on a click
UNLINKED_FIGURES = """() => Array.from(document.querySelectorAll('.cell_output img'))
    .filter(img => img.closest('.jupyter-widgets') === null)
    .filter(img => !(img.closest('a.figure-zoom') && img.closest('a').href === img.src))
    .map(img => img.src.split('/').pop())"""
# what sticks out of the page on the right: the page's own width, and each element of the
# article that reaches past the window without a horizontally scrolling box around it
OVERFLOW = """() => {
    const width = window.innerWidth;
    const out = [];
    for (const el of document.querySelectorAll('.bd-article *')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= width + 1) continue;
        let parent = el.parentElement, clipped = false;
        for (; parent; parent = parent.parentElement) {
            if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(parent).overflowX)
                && parent.getBoundingClientRect().right <= width + 1) { clipped = true; break; }
        }
        if (!clipped) out.push(`${el.tagName.toLowerCase()}.${el.className} to ${box.right|0} px`);
    }
    const page = document.documentElement.scrollWidth;
    return page > width ? [`the page is ${page} px wide`, ...out] : out;
}"""
# the summary table: its height, and how far right its verdict column reaches
SUMMARY_BOX = """() => {
    const table = document.querySelector('#reproduction-summary table.claims-summary');
    if (!table) return null;
    const verdicts = Array.from(table.querySelectorAll('tbody td:nth-child(3)'));
    return {height: table.getBoundingClientRect().height,
            verdict_right: Math.max(...verdicts.map(td => td.getBoundingClientRect().right))};
}"""
SUMMARY_ROWS = """() => {
    const heading = document.getElementById('reproduction-summary');
    const table = heading && heading.querySelector('table');
    return table ? table.querySelectorAll('tbody tr').length : -1;
}"""
EXPLORER_ALTS = """explorer => Array.from(explorer.querySelectorAll('img')).map(img => img.alt)"""
ALL_VIEWS_RENDERED = """() => Array.from(document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]'))
    .every(s => s.parentElement.querySelector('.jupyter-widgets'))"""


def unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: the browser test must run in CI (.ci/run installs Chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (make test installs it)")
    if not Path(CHROMIUM).exists():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def served_book(smoke_book, tmp_path_factory):
    """A copy of the built HTML (as a reader would copy it) served on localhost."""
    root, _ = smoke_book
    site = tmp_path_factory.mktemp("site") / "html"
    shutil.copytree(root / "_build" / "html", site)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", chapter_names(root)
    server.shutdown()


def open_page(browser, url: str, origin: str):
    """Open ``url``; return the page, its JavaScript errors and the requests that were blocked."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, blocked = [], []
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("console", lambda message: errors.append(f"console: {message.text}")
            if message.type == "error" else None)

    def only_localhost(route):
        if route.request.url.startswith(origin + "/"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_localhost)
    page.goto(url, wait_until="load")
    return page, errors, blocked


def test_every_page_renders_its_markdown_and_each_summary_is_a_table(browser, served_book,
                                                                     smoke_book):
    """Tables and formulas that chapters print from code are typeset, on every page; each
    chapter's reproduction summary is a table with one row per claim of its results, one screen
    tall at 1280 px, its verdicts on screen at 390 px; every picture is shown large enough for
    its smallest text to stay legible, and every figure has alt text and opens at full size; no
    page shows Markdown asterisks or an internal id in a table, or is wider than a phone."""
    origin, chapters = served_book
    root, _ = smoke_book
    pages = sorted(str(p.relative_to(root / "_build" / "html").with_suffix(""))
                   for p in (root / "_build" / "html" / "book").glob("*.html"))
    assert set(chapters) <= set(pages)
    problems = []  # what a reader would trip over, on every page (one page does not hide another)
    for name in pages:
        page, _, _ = open_page(browser, f"{origin}/{name}.html", origin)
        assert page.evaluate(RAW_MARKDOWN) == [], f"{name}: Markdown shown as raw text"
        for check, what in ((RAW_ASTERISKS, "asterisks shown as text"),
                            (TABLE_IDS, "an internal id in a table"),
                            (UNLINKED_FIGURES, "a figure that does not open at full size")):
            found = page.evaluate(check)
            if found:
                problems.append(f"{name}: {what}: {found}")
        if name in chapters:
            page.wait_for_function(ALL_VIEWS_RENDERED, timeout=30000)
            pictures = page.evaluate(PICTURES)
            assert any(not p["widget"] for p in pictures), f"{name}: no figure"
            for picture in pictures:
                ratio = picture["shown"] / picture["natural"]
                assert ratio >= MIN_DISPLAY_RATIO, (
                    f"{name}: a picture {picture['natural']} px wide is shown at "
                    f"{picture['shown']:.0f} px: its smallest text would be under {MIN_TEXT_PX} px")
                if not picture["widget"]:
                    alt = picture["alt"]
                    assert alt and "_images/" not in alt and not alt.endswith(".png"), (
                        f"{name}: a figure without alt text ({alt!r})")
            results = root / "_build" / "results" / f"{Path(name).name}.json"
            claims = json.loads(results.read_text())["claims"]
            assert page.evaluate(SUMMARY_ROWS) == len(claims), f"{name}: summary table"
            # the verdicts at a glance: the summary fits one screen (900 px) at 1280 px
            height = page.evaluate(SUMMARY_BOX)["height"]
            if height > 900:
                problems.append(f"{name}: the summary is {height:.0f} px tall, over a screen")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{Path(name).name}-1280.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})  # a phone
        page.wait_for_timeout(300)
        overflow = page.evaluate(OVERFLOW)
        if overflow:
            problems.append(f"{name}: wider than a phone's screen: {overflow}")
        if name in chapters and page.evaluate(SUMMARY_BOX)["verdict_right"] > 390:
            problems.append(f"{name}: the verdicts are off a phone's screen")
        split = page.evaluate(SPLIT_WORDS)
        if split:
            problems.append(f"{name}: words split inside at 390 px in the summary: {split[:5]}")
        page.screenshot(path=str(SCREENSHOTS / f"{Path(name).name}-390.png"), full_page=True)
        page.close()
    assert not problems, "\n".join(problems)


def test_chapter_pages_work_offline_with_live_explorers(browser, served_book):
    origin, chapters = served_book
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert chapters
    for chapter in chapters:
        name = Path(chapter).name
        page, errors, blocked = open_page(browser, f"{origin}/{chapter}.html", origin)
        page.wait_for_function(ALL_VIEWS_RENDERED, timeout=30000)
        page.wait_for_selector("mjx-container", timeout=30000)
        assert page.locator("mjx-container").count() > 5, f"{name}: equations not typeset"
        assert page.locator("mjx-merror").count() == 0, f"{name}: a MathJax error"
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

        explorers = page.locator(".widget-vbox").filter(has=page.locator(".widget-hslider"))
        assert explorers.count() >= 1, f"{name}: no explorer with a slider"
        for i in range(explorers.count()):
            explorer = explorers.nth(i)
            explorer.scroll_into_view_if_needed()
            before = explorer.evaluate(VISIBLE_IMAGES)
            assert len(before) == 1, f"{name}: explorer {i} shows {len(before)} pictures"
            alts = explorer.evaluate(EXPLORER_ALTS)
            assert alts and all(alt.strip() for alt in alts), f"{name}: explorer {i} alt {alts}"
            explorer.screenshot(path=str(SCREENSHOTS / f"{name}-explorer{i}-opening.png"))
            handle = explorer.locator(".noUi-handle").first
            handle.focus()
            at_start = handle.get_attribute("aria-valuenow") == handle.get_attribute(
                "aria-valuemin")
            handle.press("End" if at_start else "Home")  # away from the opening frame
            page.wait_for_timeout(300)
            after = explorer.evaluate(VISIBLE_IMAGES)
            assert len(after) == 1 and after != before, f"{name}: slider did not change picture"
            explorer.screenshot(path=str(SCREENSHOTS / f"{name}-explorer{i}-moved.png"))
            buttons = explorer.locator(".widget-toggle-button:not(.mod-active)")
            if buttons.count() > 0:  # another group than the one the explorer opens on
                buttons.first.click()
                page.wait_for_timeout(300)
                switched = explorer.evaluate(VISIBLE_IMAGES)
                assert switched != after, f"{name}: group buttons did not change the picture"
        assert not errors, f"{name}: JavaScript errors {errors}"
        assert not blocked, f"{name}: requests outside the book {blocked}"
        page.close()
