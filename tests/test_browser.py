"""A real browser (Debian's chromium via playwright): the graph draws, a click walks, nothing leaves localhost."""
from __future__ import annotations

import socket
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium 不存在(apt-get install chromium fonts-wqy-microhei)")


@pytest.fixture(scope="module")
def server(app):
    from waitress import create_server

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    srv.close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        yield b
        b.close()


def test_graph_draws_and_a_click_walks(server, browser, client):
    issue = client.get("/issues.json").get_json()["rows"][0]["issue"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    failed, foreign, errors, bad_status = [], [], [], []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("request", lambda r: urlparse(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:")
            and foreign.append(r.url))
    page.on("response", lambda r: r.status >= 400 and bad_status.append((r.status, r.url)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))

    entity_path = "/e/" + issue.split("https://w3id.org/rectigraph/", 1)[1]
    page.goto(server + entity_path)
    page.wait_for_selector("#graph canvas", timeout=15000)
    page.wait_for_function("window.rgGraphReady === true", timeout=20000)
    page.locator("#graph").scroll_into_view_if_needed()
    target = page.evaluate("""() => {
        const ids = window.rgNodes.getIds();
        const center = ids[0];
        const other = ids.find(id => id !== center && window.rgNodes.get(id).url);
        const pos = window.rgNetwork.canvasToDOM(window.rgNetwork.getPositions([other])[other]);
        const box = document.querySelector('#graph canvas').getBoundingClientRect();
        return {id: other, url: window.rgNodes.get(other).url, x: box.left + pos.x, y: box.top + pos.y};
    }""")
    assert target["id"] and target["url"]
    with page.expect_navigation(timeout=15000):
        page.mouse.click(target["x"], target["y"])
    assert page.url == server + target["url"]
    assert page.locator("h1.entity-title").count() == 1
    page.wait_for_selector("#graph canvas", timeout=15000)

    assert not failed, failed
    assert not foreign, foreign
    assert not bad_status, bad_status
    assert not errors, errors
    page.close()


def test_hostile_title_stays_text_in_the_browser(server, browser, client):
    docs = client.get("/documents.json", query_string={"page": 1}).get_json()
    rows = docs["rows"]
    for p in range(2, docs["pages"] + 1):
        rows += client.get("/documents.json", query_string={"page": p}).get_json()["rows"]
    doc = next(r for r in rows if "<script>" in r["label"])
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/e/" + doc["document"].split("https://w3id.org/rectigraph/", 1)[1])
    page.wait_for_function("window.rgGraphReady === true", timeout=20000)
    assert "<script>alert(1)</script>" in page.inner_text("h1")
    page.goto(server + "/search?q=" + "公示栏")
    assert not dialogs
    page.close()
