#!/usr/bin/env python3
"""Take the README screenshots from the running demo (`make screenshots`).

Starts `make run`'s Odoo (database credit_hold_demo, created with demo data if
missing) on a spare port, logs in as the demo admin in headless Chromium
(Debian packages `chromium` and `chromium-driver`, driven by selenium), and
saves PNGs under each addon's static/description/ (the readme fragments show them):

- credit_hold/static/description/held-documents.png   Credit Control > Held Documents
- credit_hold/static/description/held-quotation.png   a held quotation with its red banner
- credit_hold/static/description/customer-credit.png  a customer's Credit tab
- credit_hold_stock/static/description/held-delivery.png    a held delivery
- credit_hold/static/description/held-analysis.png    Credit Control > Reporting > Held Documents Analysis (graph)
- credit_hold/static/description/portal-credit-status.png  the portal home of the demo portal user latepayer
"""

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# where each picture goes: the addon whose readme shows it
DOCS = ROOT / "credit_hold" / "static" / "description"
STOCK_DOCS = ROOT / "credit_hold_stock" / "static" / "description"


def target(name):
    return (STOCK_DOCS if name == "held-delivery.png" else DOCS) / name


PORT = int(os.environ.get("SCREENSHOT_PORT", "8079"))
DB = os.environ.get("RUN_DB", "credit_hold_demo")
BASE = f"http://127.0.0.1:{PORT}"


def rpc(path, params, cookie=None):
    request = urllib.request.Request(  # noqa: S310 - loopback only
        BASE + path,
        data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode(),
        headers={"Content-Type": "application/json", **({"Cookie": cookie} if cookie else {})},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
        body = json.loads(response.read())
        return body.get("result"), response.headers.get("Set-Cookie")


def wait_for_server(timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(BASE + "/web/health", timeout=5):  # noqa: S310
                return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"Odoo did not answer on {BASE}")


def record_id(cookie, model, domain):
    result, _ = rpc(
        "/web/dataset/call_kw",
        {"model": model, "method": "search", "args": [domain], "kwargs": {"limit": 1}},
        cookie,
    )
    return result[0]


def main():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    DOCS.mkdir(exist_ok=True)
    setup = subprocess.run([sys.executable, "tools/devtool.py", "run", "--setup-only"], cwd=ROOT, check=False)
    if setup.returncode:
        return setup.returncode
    server = subprocess.Popen(
        [sys.executable, "tools/devtool.py", "run", "--port", str(PORT), "--", "--log-level=warn"],
        cwd=ROOT,
        env={**os.environ, "RUN_SKIP_SETUP": "1"},
    )
    try:
        wait_for_server()
        _, cookie = rpc("/web/session/authenticate", {"db": DB, "login": "admin", "password": "admin"})
        session = cookie.split(";")[0].split("=", 1)[1]
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1440,1000",
            "--force-device-scale-factor=1",
        ):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            driver.get(BASE + "/web/login")
            driver.add_cookie({"name": "session_id", "value": session, "path": "/"})
            wait = WebDriverWait(driver, 60)

            def shot(url, ready_css, name):
                driver.get(BASE + url)
                wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ready_css)))
                time.sleep(1.5)  # let the web client finish rendering
                if not driver.save_screenshot(str(target(name))):
                    raise RuntimeError(f"could not save {target(name)}")
                print(f"saved {target(name).relative_to(ROOT)}")

            shot(
                "/odoo/action-credit_hold.credit_hold_document_action",
                ".o_list_renderer .o_data_row",
                "held-documents.png",
            )
            order = record_id(
                cookie, "sale.order", [["credit_status", "=", "held"], ["partner_id.name", "=", "Over Limit Ltd"]]
            )
            shot(f"/odoo/sales/{order}", ".o_form_view .alert-danger", "held-quotation.png")
            partner = record_id(cookie, "res.partner", [["name", "=", "Over Limit Ltd"]])
            driver.get(BASE + f"/odoo/res.partner/{partner}")
            wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".o_form_view .o_notebook")))
            tab = wait.until(
                expected_conditions.element_to_be_clickable(
                    (By.XPATH, "//a[@role='tab' and normalize-space()='Credit']")
                )
            )
            tab.click()
            driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", tab)
            time.sleep(1.5)
            if not driver.save_screenshot(str(target("customer-credit.png"))):
                raise RuntimeError("could not save customer-credit.png")
            print(f"saved {target('customer-credit.png').relative_to(ROOT)}")
            picking = record_id(cookie, "stock.picking", [["credit_status", "=", "held"]])
            shot(f"/odoo/stock.picking/{picking}", ".o_form_view .alert-danger", "held-delivery.png")
            shot(
                "/odoo/action-credit_hold.credit_hold_document_analysis_action",
                ".o_graph_renderer canvas",
                "held-analysis.png",
            )
            # the customer's side: a fresh session of the demo portal user
            _, portal_cookie = rpc(
                "/web/session/authenticate", {"db": DB, "login": "latepayer", "password": "latepayer"}
            )
            driver.delete_all_cookies()
            driver.add_cookie(
                {"name": "session_id", "value": portal_cookie.split(";")[0].split("=", 1)[1], "path": "/"}
            )
            shot("/my/home", ".o_credit_hold_portal_status", "portal-credit-status.png")
        finally:
            driver.quit()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
