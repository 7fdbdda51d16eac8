"""The kenniskring in the room: the session code, phones, priorities set together, the record, stopping.

The page is served with ``--zaal`` on all interfaces; the tests reach it at 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT
from wijkkit.config import Project
from wijkkit.notebooks import KENNISKRING


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    import shutil

    from wijkkit.vertellen.importeren import import_stories

    root = tmp_path_factory.mktemp("zaal") / "demo"
    root.mkdir()
    for name in ("wijkkit.toml", "codebook.yml", "indicatoren.yml", "verandertheorie.yml"):
        shutil.copy(ROOT / name, root / name)
    for folder in ("data", "notebooks", "stories"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    proj = Project.load(root)
    import_stories(proj, root / "stories", door="test")
    from tests.conftest import team_accepts_suggestions

    team_accepts_suggestions(proj)
    return proj


# ------------------------------------------------------------------------------------------------ agenderen
def test_a_participant_marks_at_most_three_and_the_tally_counts_pages(project):
    from wijkkit.kenniskring.agenda import add_prioriteit, prioriteiten, start_bijeenkomst, telling

    store = project.open_store()
    avond = start_bijeenkomst(store, "test")
    marks = [("WK999901", "wonen"), ("WK999902", "wonen"), ("WK999903", "veiligheid")]
    for gebied, thema in marks:
        add_prioriteit(store, bijeenkomst_id=avond, deelnemer="a", gebied=gebied, thema=thema, zin="want")
    with pytest.raises(ValueError, match="al 3 onderwerpen"):
        add_prioriteit(store, bijeenkomst_id=avond, deelnemer="a", gebied="WK999901", thema="veiligheid", zin="")
    # the same combination again replaces the sentence instead of counting twice
    add_prioriteit(store, bijeenkomst_id=avond, deelnemer="a", gebied="WK999901", thema="wonen", zin="anders")
    for deelnemer in "bcd":
        add_prioriteit(store, bijeenkomst_id=avond, deelnemer=deelnemer, gebied="WK999902", thema="wonen", zin=deelnemer)
    _full_pass_done(store)
    tally = telling(prioriteiten(store, bijeenkomst_id=avond))
    assert list(zip(tally["gebied"], tally["thema"], tally["stemmen"]))[0] == ("WK999902", "wonen", 4)
    assert tally.set_index(["gebied", "thema"]).loc[("WK999901", "wonen"), "zinnen"] == ["anders"]
    assert tally["stemmen"].sum() == 3 + 3


def _full_pass_done(store, model=None) -> None:
    """What the server's full pass leaves behind (its own test is below), without loading the name model here:
    for priorities' sentences, or (``model=Duiding``) for duidingen."""
    from sqlalchemy import update

    from wijkkit.store.models import Prioriteit

    with store.session() as session:
        session.execute(update(model or Prioriteit).values(pseudo_niveau="volledig"))


def test_one_mark_draws_a_bar_within_the_beamer(project):
    from wijkkit.kenniskring.agenda import add_prioriteit, start_bijeenkomst, tally_html
    from wijkkit.kenniskring.gegevens import Kenniskring

    kring = Kenniskring(project)
    avond = start_bijeenkomst(kring.store, "een stem")
    add_prioriteit(kring.store, bijeenkomst_id=avond, deelnemer="p", gebied="WK999901", thema="wonen", zin="")
    widths = [int(w) for w in re.findall(r"width:(\d+)%", tally_html(kring, bijeenkomst_id=avond))]
    assert len(widths) == 1 and 0 < widths[0] <= 100


def test_the_tally_shows_sentences_only_from_the_threshold(project):
    from wijkkit.kenniskring.agenda import add_prioriteit, start_bijeenkomst, tally_html
    from wijkkit.kenniskring.gegevens import Kenniskring

    kring = Kenniskring(project)
    avond = start_bijeenkomst(kring.store, "drempel")
    for k in range(kring.drempel - 1):
        add_prioriteit(kring.store, bijeenkomst_id=avond, deelnemer=f"p{k}", gebied="WK999903",
                       thema="voorzieningen", zin=f"zin nummer {k}")
    _full_pass_done(kring.store)
    html = tally_html(kring, bijeenkomst_id=avond)
    assert f">minder dan {kring.drempel}<" in html and f">{kring.drempel - 1}<" not in html
    widths = [int(w) for w in re.findall(r"width:(\d+)%", html)]
    assert widths and all(0 < w <= 100 for w in widths)  # a bar never runs off the beamer
    assert "zin nummer" not in html
    add_prioriteit(kring.store, bijeenkomst_id=avond, deelnemer="laatste", gebied="WK999903", thema="voorzieningen",
                   zin="<b>de buurtkamer</b>")
    html = tally_html(kring, bijeenkomst_id=avond)
    assert "zin nummer 0" in html and "de buurtkamer" not in html  # the newest waits for the full pass
    _full_pass_done(kring.store)
    html = tally_html(kring, bijeenkomst_id=avond)
    assert "zin nummer 0" in html and "&lt;b&gt;de buurtkamer&lt;/b&gt;" in html  # text from people is text
    assert f">{kring.drempel}<" in html  # from the threshold on, the count itself


def test_a_sentence_is_pseudonymised_like_a_duiding(project):
    from wijkkit.kenniskring.agenda import prioriteiten, start_bijeenkomst
    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.panelen import Panelen

    kring = Kenniskring(project)
    panelen = Panelen(kring, bijeenkomst=start_bijeenkomst(kring.store, "privacy"))
    answer = panelen.zet_prioriteit("x", "WK999902", "armoede_schulden", "Bel Gertrude Vlasbloem op 06-98765432.")
    assert answer["ok"]
    zin = prioriteiten(kring.store, bijeenkomst_id=panelen.bijeenkomst)["zin"].iloc[0]
    assert "06-98765432" not in zin and "Vlasbloem" not in zin


# ------------------------------------------------------------------------------- what the room types stays text
ZIN = "Eerste regel\nambities:\n  - id: ingebroken\n# geen commentaar: \"quote' \u202edrow-kaj"


def _uncommented(voorstel: str) -> str:
    """What the coördinator pastes: the YAML block of the proposal with its # taken away."""
    block = voorstel.split("# ambities:", 1)[1]
    return "ambities:" + "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#")
                                   for line in block.split("\n"))


def test_a_sentence_from_the_room_stays_text_in_every_file(project):
    import yaml

    from wijkkit.kenniskring.agenda import add_prioriteit, start_bijeenkomst
    from wijkkit.kenniskring.duiding import add_duiding
    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.panelen import Panelen
    from wijkkit.kenniskring.samenvatting import summary_html
    from wijkkit.kenniskring.verslag import kies_bijeenkomst, verslag_html
    from wijkkit.store.models import Duiding

    kring = Kenniskring(project)
    avond = start_bijeenkomst(kring.store, "tekst blijft tekst")
    for k in range(kring.drempel):  # enough devices that the sentence may be shown
        add_prioriteit(kring.store, bijeenkomst_id=avond, deelnemer=f"t{k}", gebied="WK999901", thema="schoon_heel",
                       zin=ZIN if k == 0 else "")
    add_duiding(kring.store, gebied="WK999901", thema="schoon_heel", datum=date(2026, 12, 7), wat_zien_we=ZIN,
                aanwezigen={"bewoner": kring.drempel + 3}, bijeenkomst_id=avond)
    _full_pass_done(kring.store)
    _full_pass_done(kring.store, Duiding)
    page, voorstel = verslag_html(kring, kies_bijeenkomst(kring.store, avond))
    assert yaml.safe_load(voorstel) is None  # as written: comments only, nothing live in verandertheorie.yml
    ambities = yaml.safe_load(_uncommented(voorstel))["ambities"]
    assert [a["id"] for a in ambities] == ["kenniskring-1"]  # the sentence's "- id: ingebroken" is no ambition
    assert ambities[0]["deelambities"][0]["titel"] == ZIN.replace("\u202e", "")[:80]
    duiding_tab = Panelen(kring, bijeenkomst=avond).paneel("Duiding", "WK999901", "schoon_heel")["html"]
    samenvatting = summary_html(kring, "WK999901", "schoon_heel")
    for name, text in (("verslag", page), ("voorstel", voorstel), ("Duiding", duiding_tab),
                       ("samenvatting", samenvatting)):
        assert "\u202e" not in text, name
    for name, html in (("verslag", page), ("Duiding", duiding_tab), ("samenvatting", samenvatting)):
        assert "geen commentaar: &quot;quote&#x27; drow-kaj" in html, name  # escaped, its letters in order


def test_attendance_under_the_threshold_is_hidden_everywhere(project):
    from wijkkit.kenniskring.agenda import start_bijeenkomst
    from wijkkit.kenniskring.duiding import add_duiding
    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.panelen import Panelen
    from wijkkit.kenniskring.samenvatting import summary_html
    from wijkkit.kenniskring.verslag import kies_bijeenkomst, verslag_html
    from wijkkit.store.models import Duiding

    kring = Kenniskring(project)
    avond = start_bijeenkomst(kring.store, "aanwezig")
    add_duiding(kring.store, gebied="WK999902", thema="voorzieningen", datum=date(2026, 12, 7), wat_zien_we="Druk.",
                aanwezigen={"bewoner": 1, "professional": 2, "ondernemer": kring.drempel}, bijeenkomst_id=avond)
    _full_pass_done(kring.store, Duiding)
    shown = {"Duiding": Panelen(kring, bijeenkomst=avond).paneel("Duiding", "WK999902", "voorzieningen")["html"],
             "samenvatting": summary_html(kring, "WK999902", "voorzieningen"),
             "verslag": verslag_html(kring, kies_bijeenkomst(kring.store, avond))[0]}
    for name, html in shown.items():
        assert "1 bewoner" not in html and "2 professionals" not in html, name
        assert f"minder dan {kring.drempel} bewoners" in html, name
        assert f"{kring.drempel} ondernemers" in html, name  # from the threshold on, the count itself


def test_my_list_shows_a_sentence_only_after_the_full_pass(project):
    from wijkkit.kenniskring.agenda import start_bijeenkomst
    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.panelen import ZIN_WORDT_VERWERKT, Panelen

    kring = Kenniskring(project)
    panelen = Panelen(kring, bijeenkomst=start_bijeenkomst(kring.store, "jouw lijst"))
    zin = "Bel J.P. de Vries, Lange Akker 12-II."
    assert panelen.zet_prioriteit("ik", "WK999902", "wonen", zin)["ok"]
    mine = panelen.mijn_prioriteiten("ik")
    assert len(mine) == 1 and mine[0][4] == ZIN_WORDT_VERWERKT  # the light pass alone misses "12-II" and initials
    _full_pass_done(kring.store)
    assert panelen.mijn_prioriteiten("ik")[0][4] not in ("", ZIN_WORDT_VERWERKT)


def test_wrong_codes_make_an_address_wait():
    from wijkkit.kenniskring.zaal import Pogingen

    now = [1000.0]
    pogingen = Pogingen(maximum=20, wachttijd=60, klok=lambda: now[0])
    for k in range(19):
        assert not pogingen.fout("10.0.0.7") and pogingen.wachten("10.0.0.7") == 0, k
    assert pogingen.fout("10.0.0.7") and pogingen.wachten("10.0.0.7") == 60  # the 20th starts the wait
    assert pogingen.wachten("10.0.0.8") == 0  # another phone in the room is not held up
    now[0] += 61
    assert pogingen.wachten("10.0.0.7") == 0
    for _ in range(20):
        pogingen.fout("10.0.0.7")
    assert pogingen.wachten("10.0.0.7") == 120  # again: twice as long


# ----------------------------------------------------------------------------------------------- rekenaar
def test_the_rekenaar_answers_only_with_its_secret(project):
    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.panelen import Panelen
    from wijkkit.kenniskring.rekenaar import RekenaarBron, serve

    server, token = serve(Panelen(Kenniskring(project)))
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        keuzes = RekenaarBron(url, token).keuzes()
        assert keuzes["titel"] == "Lindehoven (demo)" and keuzes["gebied"] in keuzes["namen"]
        answer = RekenaarBron(url, token).paneel("Cijfers", keuzes["gebied"], keuzes["thema"])
        assert "<svg" in answer["html"]
        with pytest.raises(urllib.error.HTTPError) as refused:
            RekenaarBron(url, "fout").keuzes()
        assert refused.value.code == 403
        request = urllib.request.Request(f"{url}/paneel", data=b"x" * 70_000, method="POST",
                                         headers={"Authorization": f"Bearer {token}"})
        with pytest.raises(urllib.error.HTTPError) as too_big:
            urllib.request.urlopen(request, timeout=30)
        assert too_big.value.code == 413
    finally:
        server.shutdown()


def test_a_visitors_kernel_loads_nothing_heavy():
    """The page's module imports only widgets: a served page gets its answers from the rekenaar."""
    import subprocess
    import sys

    code = ("import sys, wijkkit.kenniskring.dashboard, wijkkit.kenniskring.rekenaar; "
            "print(sorted(m for m in ('pandas', 'altair', 'vl_convert', 'geopandas', 'spacy', 'deduce', 'sqlalchemy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_the_pool_is_the_room_expected_within_the_memory_rule(project):
    from wijkkit.kenniskring.agenda import add_prioriteit, deelnemers_vorige_keer, start_bijeenkomst
    from wijkkit.kenniskring.serve import zaal_pool

    assert zaal_pool(limit=100, verwacht=40) == 40
    small = zaal_pool(limit=12, verwacht=40)  # a laptop with little free memory: places stay free for visitors
    assert 1 <= small < 12
    store = project.open_store()
    avond = start_bijeenkomst(store, "vorige keer")
    for deelnemer in ("a", "b", "c"):
        add_prioriteit(store, bijeenkomst_id=avond, deelnemer=deelnemer, gebied="WK999901", thema="wonen", zin="")
    add_prioriteit(store, bijeenkomst_id=avond, deelnemer="a", gebied="WK999902", thema="wonen", zin="")
    assert deelnemers_vorige_keer(store) == 3  # devices, not marks


def test_a_page_learns_its_device_from_the_server(monkeypatch):
    from wijkkit.kenniskring import apparaat

    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.delenv(apparaat.ENV, raising=False)
    assert apparaat.deelnemer(timeout=1) is None  # a notebook in JupyterLab: no server to ask
    monkeypatch.setenv(apparaat.ENV, "abc123")  # a kernel started for the request itself
    assert apparaat.deelnemer(timeout=1) == "abc123"


# ------------------------------------------------------------------------------------------------ the code
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _open(opener, url, data=None):
    try:
        return opener.open(url, data=data, timeout=30)
    except urllib.error.HTTPError as exc:  # 3xx (not followed here), 401, 429: the answer is what we look at
        return exc


def test_the_code_is_guarded_from_the_outside(project):
    """From 127.0.0.1, as a phone's browser would ask: the code leaves the address, is nowhere in ``ps`` or a
    kernel's environment, the cookie is for this site and this evening, and guessing is slowed to a wait."""
    import http.cookiejar
    from urllib.parse import urlencode

    import psutil

    from tests.browser import served

    with served(project.root, "--zaal", "--verwacht", "2", timeout=180) as server:
        code = server.url.split("token=")[1]
        base = server.url.split("?")[0]
        jar = http.cookiejar.CookieJar()
        phone = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPCookieProcessor(jar))
        first = _open(phone, server.url)
        assert first.status == 302 and "token" not in first.headers["Location"]  # the code leaves the address
        assert first.headers["Referrer-Policy"] == "same-origin"  # the address never goes to another site
        cookie = first.headers["Set-Cookie"]
        assert "SameSite=Strict" in cookie and "HttpOnly" in cookie
        assert "expires" not in cookie.lower() and "max-age" not in cookie.lower()  # gone with the browser session
        page = _open(phone, base)
        assert page.status == 200 and "kernelId" in page.read().decode()  # the cookie opens the page, no code needed
        deadline = time.time() + 120
        while time.time() < deadline and len(server.kernels()) < 2:
            time.sleep(1)
        tree = [psutil.Process(server.proc.pid), *psutil.Process(server.proc.pid).children(recursive=True)]
        for proc in tree:
            with contextlib.suppress(psutil.NoSuchProcess):
                assert code not in " ".join(proc.cmdline()), proc.cmdline()
        kernels = server.kernels()
        assert kernels
        for pid in kernels:
            environ = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
            assert code not in environ and "WIJKKIT_ZAAL" not in environ
        # another device guesses: 20 wrong codes, then even the right one waits
        guesser = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPCookieProcessor(
            http.cookiejar.CookieJar()))
        login = _open(guesser, base + "login").read().decode()
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', login).group(1)
        for k in range(20):
            wrong = _open(guesser, base + "login", urlencode({"_xsrf": xsrf, "password": f"fout{k:04d}"}).encode())
            assert wrong.status in (401, 429), wrong.status
        assert wrong.status == 429 and "Wacht" in wrong.read().decode()
        right = _open(guesser, base + "login", urlencode({"_xsrf": xsrf, "password": code}).encode())
        assert right.status == 429 and "Wacht" in right.read().decode()
        assert right.headers["Retry-After"]
        assert _open(phone, base).status == 200  # the phone that already has its cookie is not held up
        # the organiser's terminal while the room is there: Dutch, without Voila's and traitlets' English warnings
        log = server.log.read_text(encoding="utf-8")
        assert "not trusted" not in log and "without encryption" not in log and "DeprecationWarning" not in log
        assert "Voor de zaal: http://" in log and "127.0.0.1" in log and "Te veel verkeerde codes" in log
        assert not [line for line in log.splitlines() if " GET " in line or " POST " in line]  # no request log


# ------------------------------------------------------------------------------------------------ browser
def _pids(served) -> dict[str, list[int]]:
    import psutil

    found = {"voila": [], "kernel": [], "rekenaar": []}
    try:
        tree = [psutil.Process(served.proc.pid), *psutil.Process(served.proc.pid).children(recursive=True)]
    except psutil.Error:
        return found
    for proc in tree:
        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                continue
            cmd = " ".join(proc.cmdline())
        except psutil.Error:  # gone while we looked
            continue
        if "voila_app" in cmd:
            found["voila"].append(proc.pid)
        elif "ipykernel_launcher" in cmd:
            found["kernel"].append(proc.pid)
        elif "kenniskring.rekenaar" in cmd:
            found["rekenaar"].append(proc.pid)
    return found


@pytest.mark.browser
def test_the_room(project):
    from tests.browser import require_browser, screenshot, served

    require_browser()
    import psutil
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    ready = ("() => { const s = document.querySelector('.wk-status'); return s && s.textContent.includes('Te zien'); }")
    with served(project.root, "--zaal", timeout=180) as server:
        url = server.url
        assert "?token=" in url
        code = url.split("token=")[1]
        base = url.split("?")[0]
        # without the code: nothing but the Dutch page that asks for it, not even the loading page
        with urllib.request.urlopen(base, timeout=30) as response:
            page = response.read().decode()
        assert "Typ de code" in page and "Lindehoven" not in page and "klaargezet" not in page
        for path in (f"voila/render/{KENNISKRING}", "api/kernels", "voila/api/shutdown/x", "voila/tree"):
            try:  # refused, or sent to the code page: never the page, a kernel or a list of notebooks
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    assert "Typ de code" in response.read().decode(), path
            except urllib.error.HTTPError as exc:
                assert exc.code in (401, 403, 404, 405), (path, exc.code)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
            beamer = browser.new_context(viewport={"width": 1280, "height": 720})
            p, b = phone.new_page(), beamer.new_page()
            p.goto(base, timeout=60_000)  # a phone that typed nothing sees the code page
            screenshot(p, "zaal-code-telefoon.png")
            p.fill("#code", "fout")
            p.click("button")
            p.wait_for_selector("text=Die code klopt niet")
            p.fill("#code", code)
            p.click("button")
            p.wait_for_function(ready, timeout=120_000)
            b.goto(url, timeout=60_000)  # the QR code's address: with the code
            b.wait_for_function(ready, timeout=120_000)
            assert b.is_visible(".wk-meedoen") and code in b.inner_text(".wk-meedoen")
            assert not p.is_visible(".wk-meedoen")  # a phone needs no QR code
            screenshot(b, "zaal-beamer-qr.png")
            # the phone's page: no horizontal scrolling, type of 16 px, touch targets of 44 px
            assert p.evaluate("document.documentElement.scrollWidth") <= 360
            tiny = p.evaluate("""() => Array.from(document.querySelectorAll('.wk-kring *')).filter(e =>
                !e.closest('svg') && e.offsetParent !== null && Array.from(e.childNodes).some(n => n.nodeType === 3
                && n.textContent.trim())).filter(e => parseFloat(getComputedStyle(e).fontSize) < 16)
                .map(e => e.textContent.trim().slice(0, 30))""")
            assert not tiny, tiny
            small = p.evaluate("""() => Array.from(document.querySelectorAll(
                '.wk-kring select, .wk-kring button, .wk-kring .lm-TabBar-tab')).filter(e => e.offsetParent !== null
                && e.getBoundingClientRect().height < 44).map(e => e.tagName + ':' + e.textContent.trim().slice(0, 20))""")
            assert not small, small
            p.set_viewport_size({"width": 360, "height": 2600})  # the whole phone page in one picture
            for k, tab in enumerate(["Cijfers", "Verhalen", "Samen bekeken", "Kaart", "Duiding", "Aandacht"]):
                for page, size in ((p, "telefoon"), (b, "beamer")):
                    page.click(f".lm-TabBar-tab:has-text('{tab}')")
                    page.wait_for_timeout(1500)
                    screenshot(page, f"zaal-{size}-{k + 1}-{tab.lower().replace(' ', '-')}.png")
            assert p.evaluate("document.documentElement.scrollWidth") <= 360  # also with the map open
            p.set_viewport_size({"width": 360, "height": 740})
            # a priority set on the phone reaches the beamer within 5 seconds, without a reload
            p.fill(".wk-aandacht-zin textarea", "De speeltuin ligt al een jaar vol glas.")
            p.click(".wk-aandacht-knop")
            p.wait_for_selector(".wk-melding:text-is('Op de lijst gezet.')", timeout=30_000)
            began = time.time()
            b.wait_for_selector(".wk-telling-vak .wk-balk", timeout=5_000)
            assert time.time() - began <= 5
            screenshot(b, "zaal-beamer-telling.png")
            b.locator(".wk-telling-vak").screenshot(path=str(screenshot(b, "zaal-beamer-telling.png").with_name(
                "zaal-beamer-telling-vak.png")))
            # one device, one voice: a second tab on the same phone is the same participant (its list, its three)
            p2 = phone.new_page()
            p2.goto(base, timeout=60_000)  # the phone's cookie: no code asked again
            p2.wait_for_function(ready, timeout=120_000)
            p2.select_option(".wk-thema select", index=2)
            p2.wait_for_function("() => !document.querySelector('.wk-status').textContent.includes('Bezig')",
                                 timeout=30_000)
            p2.click(".lm-TabBar-tab:has-text('Aandacht')")
            p2.wait_for_selector("text=Jouw lijst (1 van 3)", timeout=30_000)  # the first tab's mark is there
            p2.fill(".wk-aandacht-zin textarea", "Tweede tabblad, zelfde telefoon.")
            p2.click(".wk-aandacht-knop")
            p2.wait_for_selector(".wk-melding:text-is('Op de lijst gezet.')", timeout=30_000)
            p2.wait_for_selector("text=Jouw lijst (2 van 3)", timeout=30_000)
            from wijkkit.kenniskring.agenda import prioriteiten
            from wijkkit.kenniskring.verslag import kies_bijeenkomst

            avond = int(kies_bijeenkomst(project.open_store(), None)["id"])
            marks = prioriteiten(project.open_store(), bijeenkomst_id=avond)
            assert len(marks) == 2 and marks["deelnemer"].nunique() == 1  # two marks, one device
            p2.close()
            kernels_before = len(_pids(server)["kernel"])
            p.close()  # the phone's tab closes: its kernel stops within seconds
            deadline = time.time() + 30
            while time.time() < deadline and len(_pids(server)["kernel"]) >= kernels_before:
                time.sleep(1)
            assert len(_pids(server)["kernel"]) < kernels_before
            browser.close()
        pids = _pids(server)
        assert pids["voila"] and pids["rekenaar"]
        os.kill(server.proc.pid, signal.SIGTERM)
        server.proc.wait(timeout=60)
        everything = [pid for group in pids.values() for pid in group]
        deadline = time.time() + 30
        while time.time() < deadline and any(psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"
                                             for pid in everything):
            time.sleep(0.5)
        alive = [pid for pid in everything if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
        assert not alive
        assert "gestopt" in server.log.read_text(encoding="utf-8")
    # the record of the evening: offline, Dutch, with the priority of the room
    from typer.testing import CliRunner

    from wijkkit.cli import app

    result = CliRunner().invoke(app, ["kenniskring", "verslag", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    path = result.output.split("Verslag: ", 1)[1].split("\n")[0].strip()
    html = open(path, encoding="utf-8").read()
    assert "Verslag van de kenniskring" in html and "<script" not in html and "http" not in html.replace(
        "http-equiv", "")
    assert "minder dan 5 keer gekozen" in html  # one mark in the test, below the threshold of 5
    from pathlib import Path

    from tests.browser import offline_file_page

    with offline_file_page(Path(path)) as page:
        screenshot(page, "zaal-verslag.png")
        assert all(r.startswith("file:") for r in page.requests)
    theorie = (project.root / "verandertheorie.yml").read_text(encoding="utf-8")
    assert "kenniskring-1" not in theorie  # the proposal is a separate file, never an edit
