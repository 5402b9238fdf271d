#!/usr/bin/env python3
"""Lighthouse (mobile, offline) on the built sample site: the default theme's budget check.

    python bench/lighthouse.py                       # the heaviest case page, asserts the budgets
    python bench/lighthouse.py cases/ provinces/yunnan/ --no-assert

Builds content/ into a temporary folder with base_url http://127.0.0.1:<port>/, serves it
from an in-process http.server on 127.0.0.1, runs npm `lighthouse` (pinned in package.json)
with Debian Chromium, prints one line of scores per page and writes the JSON reports to
test-artifacts/lighthouse/. Budgets (issue 4): performance ≥ 0.95, accessibility = 1.0,
best practices ≥ 0.95, SEO ≥ 0.95. Exit status 1 when a budget is missed.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUDGETS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 0.95, "seo": 0.95}
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --no-first-run --disable-sync")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".svg": "image/svg+xml", ".json": "application/json"}

    def log_message(self, format: str, *args: object) -> None:
        pass


def command(url: str, out: Path) -> list[str]:
    return [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
            "--only-categories=performance,accessibility,best-practices,seo",
            f"--chrome-flags={CHROME_FLAGS}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="site-relative paths to audit (default: the heaviest case page)")
    parser.add_argument("--no-assert", action="store_true", help="report only, do not fail on budgets")
    parser.add_argument("--theme", default="default")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("lighthouse not installed: run `npm ci` in the project folder", file=sys.stderr)
        return 2

    from casebook.config import load_config
    from casebook.pipeline import build

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    reports = ROOT / "test-artifacts" / "lighthouse"
    reports.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(load_config(ROOT / "site.yaml", {"output_dir": str(site), "base_url": base, "theme": args.theme}))
        if not args.pages:
            heaviest = max(sorted((site / "cases").glob("*/index.html")), key=lambda p: p.stat().st_size)
            args.pages = [f"cases/{heaviest.parent.name}/"]
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            for page in args.pages:
                name = page.strip("/").replace("/", "_") or "home"
                out = reports / f"{name}.json"
                cmd = command(base + page, out)
                proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
                if proc.returncode != 0 or not out.exists():
                    print(f"{page}: lighthouse failed\n{proc.stderr[-2000:]}", file=sys.stderr)
                    failed = True
                    continue
                report = json.loads(out.read_text("utf-8"))
                scores = {k: report["categories"][k]["score"] for k in BUDGETS}
                missed = {k: v for k, v in scores.items() if v is None or v < BUDGETS[k]}
                line = "  ".join(f"{k} {v:.2f}" if v is not None else f"{k} n/a" for k, v in scores.items())
                print(f"/{page}: {line}{'  MISSED ' + ', '.join(missed) if missed else ''}")
                for k in missed:
                    for ref in report["categories"][k]["auditRefs"]:
                        audit = report["audits"][ref["id"]]
                        if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
                            print(f"    {k}: {ref['id']} {audit['score']} {audit.get('displayValue', '')}")
                failed |= bool(missed)
        finally:
            server.shutdown()
            server.server_close()
    print("command:", "CHROME_PATH=/usr/bin/chromium", " ".join(
        a if " " not in a else f"'{a}'" for a in command("<url>", reports / "<name>.json")))
    return 1 if failed and not args.no_assert else 0


if __name__ == "__main__":
    sys.exit(main())
