"""The Evidence report (report/, `make report`) over the serving store, opened in headless Chromium:
every page renders, with no error panel and no chart left without a canvas. A screenshot of each
page is kept in data/report/screenshots/. Needs `make build` and `make report` first (make test
runs both); without Chromium or the built report it skips, except in CI, where it fails."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "report" / "build"
SERVING = ROOT / "data" / "serving" / "segments.duckdb"
SHOTS = ROOT / "data" / "report" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# the pages of the report: path, a text it shows, the charts it must draw at least (an account
# segment has no funnel or journey mix; the demo's one as-of date leaves drift nothing to compare)
PAGES = {
    "overview": ("/", "Customer segments", 6),
    "segment_bargain_hunters": ("/segments/bargain_hunters/", "Bargain Hunters", 2),
    "segment_buying_accounts": ("/segments/buying_accounts/", "No funnel", 0),
    "experiments": ("/experiments/", "Lift of each treatment over control", 1),
    "drift": ("/drift/", "No transitions", 0),
}
ERROR_PANEL = re.compile(r'class="[^"]*\bbg-negative/10\b[^"]*"')

NEEDS = (("chromium", CHROMIUM), ("report/build (make report)", (BUILD / "index.html").exists()),
         ("the serving store (make build)", SERVING.exists()))
missing = [what for what, ok in NEEDS if not ok]
if missing and os.environ.get("CI"):
    pytest.fail(f"CI must run the browser test; missing: {', '.join(missing)}", pytrace=False)
pytestmark = pytest.mark.skipif(bool(missing), reason=f"missing: {', '.join(missing)}")


@pytest.fixture(scope="module")
def site() -> str:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(BUILD))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--virtual-time-budget=20000", "--window-size=1280,2400", *args],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_renders_its_charts_without_an_error(site: str, page: str) -> None:
    path, title, min_charts = PAGES[page]
    dom = chromium("--dump-dom", site + path).stdout
    article = dom[dom.find('id="evidence-main-article"'):]
    assert article, f"{path}: no Evidence article in the page"
    assert title in article, f"{path}: the page does not show {title!r}"
    assert not ERROR_PANEL.search(article), f"{path}: an error panel: {ERROR_PANEL.search(article)}"
    assert "Dataset is empty" not in article and "Error in Query" not in article
    charts = article.count('class="chart-container')
    canvases = article.count("data-zr-dom-id")
    assert canvases >= charts >= min_charts, f"{path}: {charts} charts ({min_charts} expected), {canvases} drawn"
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{page}.png"
    shot.unlink(missing_ok=True)
    chromium(f"--screenshot={shot}", site + path)
    assert shot.exists() and shot.stat().st_size > 10_000, f"{path}: no screenshot"


def test_the_report_shows_the_current_publish(site: str) -> None:
    with duckdb.connect(str(SERVING), read_only=True) as con:
        publish_id = con.execute("select publish_id from publish_info").fetchone()[0]
    assert publish_id in chromium("--dump-dom", site + "/").stdout


def test_every_page_has_an_exposure_naming_the_marts_it_reads() -> None:
    """report/pages and models/marts/_report__exposures.yml agree: one exposure per page (by url),
    and each table a page's queries read (through report/sources) is in its exposure's depends_on."""
    import yaml

    sources = {p.stem: re.search(r"\bfrom\s+(\w+)", p.read_text()).group(1)
               for p in (ROOT / "report" / "sources" / "segments").glob("*.sql")}
    exposures = yaml.safe_load((ROOT / "models" / "marts" / "_report__exposures.yml").read_text())["exposures"]
    by_url = {e["url"].split("3000", 1)[1].rstrip("/") or "/": e for e in exposures}
    pages = {"/" if p.stem == "index" else "/" + str(p.relative_to(ROOT / "report" / "pages").with_suffix("")): p
             for p in (ROOT / "report" / "pages").rglob("*.md")}
    for url, page in pages.items():
        key = "/segments/bargain_hunters" if url.startswith("/segments/") else url
        assert key in by_url, f"{page} has no exposure"
        queried = re.findall(r"(?:from|join)\s+segments\.(\w+)", page.read_text())
        read = {sources[name] for name in queried} - {"publish_info"}
        declared = {re.fullmatch(r"ref\('(\w+)'\)", d).group(1) for d in by_url[key]["depends_on"]}
        assert read <= declared, f"{page} reads {sorted(read - declared)} without an exposure saying so"
