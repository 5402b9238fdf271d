"""The preview server: serves the built site with the reload script, rebuilds on save,
tells browsers to reload over Server-Sent Events, and keeps serving after a failed build.

Each save of a case reloads the page (file written -> ``reload`` event received, the page
showing the new text). The latency is printed, not asserted beyond a hang guard: timings
belong in benchmarks, and the suite runs on two workers of a shared machine.
"""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from pathlib import Path

import pytest

from casebook.config import load_config
from casebook.serve import EVENTS_PATH, RELOAD_PATH, Server

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def server(project: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path_factory.mktemp("serve")))
    cfg_file = project / "site.yaml"
    cfg_file.write_text(cfg_file.read_text("utf-8").replace("search: true", "search: false"), "utf-8")
    srv = Server(load_config(cfg_file), 0, reload_config=lambda: load_config(cfg_file), config_file=cfg_file,
                 log=lambda m: None)
    srv.start()
    watcher = threading.Thread(target=srv.watch, daemon=True)
    watcher.start()
    time.sleep(0.3)  # let the watcher register its inotify watches
    yield srv
    srv.stop()
    watcher.join(timeout=5)


def _get(srv: Server, path: str) -> tuple[int, bytes, str]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body, resp.getheader("Content-Type") or ""


class Events:
    """A Server-Sent Events client on its own thread, recording (time, event, data)."""

    def __init__(self, srv: Server):
        self.events: list[tuple[float, str, dict]] = []
        self.cond = threading.Condition()
        self.conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
        self.conn.request("GET", EVENTS_PATH)
        self.resp = self.conn.getresponse()
        threading.Thread(target=self._read, daemon=True).start()
        self.wait(lambda e: e[1] == "hello")

    def _read(self) -> None:
        name = None
        try:
            for raw in self.resp:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name:
                    with self.cond:
                        self.events.append((time.perf_counter(), name, json.loads(line[6:])))
                        self.cond.notify_all()
        except (OSError, ValueError):
            pass

    def wait(self, match, timeout: float = 10.0):  # type: ignore[no-untyped-def]
        with self.cond:
            assert self.cond.wait_for(lambda: any(match(e) for e in self.events), timeout), self.events
            found = next(e for e in self.events if match(e))
            self.events.remove(found)
            return found

    def close(self) -> None:
        self.conn.close()


def test_serves_site_with_reload_script_and_drafts(server: Server) -> None:
    status, body, ctype = _get(server, "/")
    assert status == 200 and ctype.startswith("text/html")
    assert f'<script src="{RELOAD_PATH}" defer></script>'.encode() in body
    assert b"http://127.0.0.1:" in body  # base_url points at the dev server
    status, js, ctype = _get(server, RELOAD_PATH)
    assert status == 200 and b"EventSource" in js and "javascript" in ctype
    status, _, _ = _get(server, "/no/such/page/")
    assert status == 404
    assert server.config.drafts and server.config.output_dir != server.base_config.output_dir
    assert not server.base_config.output_dir.exists()  # output/ is never touched


def test_each_save_reloads(server: Server, project: Path) -> None:
    events = Events(server)
    case = next((project / "content").glob("*.md"))
    latencies = []
    for i in range(5):
        text = case.read_text("utf-8")
        case.write_text(text + f"\n\n保存第{i}次的新段落。\n", "utf-8")
        saved = time.perf_counter()
        at, name, _ = events.wait(lambda e: e[1] == "reload")
        latencies.append(at - saved)
    events.close()
    slug = case.stem
    status, body, _ = _get(server, f"/cases/{slug}/")
    if status == 200:
        assert "保存第4次的新段落".encode() in body
    median = statistics.median(latencies)
    print(f"\nsave-to-reload latency on the sample site: median {median * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms")
    assert max(latencies) < 10, latencies  # a hang, not a slow machine


def test_failed_build_keeps_last_good_site_and_reports_error(server: Server, project: Path) -> None:
    events = Events(server)
    good = _get(server, "/")[1]
    case = next((project / "content").glob("*.md"))
    original = case.read_text("utf-8")
    case.write_text(original.replace("province:", "province: 火星省\nprovince_:", 1), "utf-8")
    _, name, data = events.wait(lambda e: e[1] == "failed")
    assert f"{case.relative_to(project)}:" in data["error"]  # file:line for the overlay
    assert _get(server, "/")[1] == good  # still the last good site
    # A page opened now learns about the error on connect.
    late = Events.__new__(Events)
    late.events, late.cond = [], threading.Condition()
    late.conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    late.conn.request("GET", EVENTS_PATH)
    late.resp = late.conn.getresponse()
    threading.Thread(target=late._read, daemon=True).start()
    _, _, hello = late.wait(lambda e: e[1] == "hello")
    assert hello["error"] and "火星省" in hello["error"]
    late.close()
    case.write_text(original, "utf-8")
    events.wait(lambda e: e[1] == "reload")
    events.close()


def test_template_and_config_changes_rebuild(server: Server, project: Path) -> None:
    events = Events(server)
    tpl = project / "themes" / "default" / "templates" / "404.html"
    tpl.write_text(tpl.read_text("utf-8").replace("{% block main %}", "{% block main %}<!-- 模板已修改 -->", 1),
                   "utf-8")
    events.wait(lambda e: e[1] == "reload")
    assert "模板已修改".encode() in _get(server, "/404.html")[1]
    cfg = project / "site.yaml"
    cfg.write_text(cfg.read_text("utf-8").replace("title: ", "title: 预览", 1), "utf-8")
    events.wait(lambda e: e[1] == "reload")
    assert "预览".encode() in _get(server, "/")[1]
    events.close()


def test_preview_names_drafts_it_cannot_show(project: Path, tmp_path_factory: pytest.TempPathFactory,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path_factory.mktemp("serve")))
    cfg_file = project / "site.yaml"
    cfg_file.write_text(cfg_file.read_text("utf-8").replace("search: true", "search: false"), "utf-8")
    (project / "content" / "unplaced.md").write_text("---\ntitle: 待补充\ndraft: true\n---\n\n正文。\n", "utf-8")
    said: list[str] = []
    srv = Server(load_config(cfg_file), 0, reload_config=lambda: load_config(cfg_file), config_file=cfg_file,
                 log=said.append)
    srv.start()
    try:
        assert any("draft not shown" in line and "unplaced.md" in line and "province" in line for line in said)
    finally:
        srv.stop()


def test_stop_removes_the_preview_folder(project: Path, tmp_path_factory: pytest.TempPathFactory,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    tmp = tmp_path_factory.mktemp("serve")
    monkeypatch.setattr("tempfile.tempdir", str(tmp))
    cfg_file = project / "site.yaml"
    cfg_file.write_text(cfg_file.read_text("utf-8").replace("search: true", "search: false"), "utf-8")
    srv = Server(load_config(cfg_file), 0, config_file=cfg_file, log=lambda m: None)
    srv.start()
    try:
        assert (srv.config.output_dir / "index.html").is_file()
        assert tmp in srv.config.output_dir.parents
    finally:
        srv.stop()
    assert list(tmp.iterdir()) == []  # the site, the build's files beside it and the private folder
    # The next session builds afresh into the same place (the cache's entry for it carries over).
    again = Server(load_config(cfg_file), srv.port, config_file=cfg_file, log=lambda m: None)
    again.start()
    try:
        assert again.config.output_dir == srv.config.output_dir
        assert _get(again, "/")[0] == 200
    finally:
        again.stop()
    assert list(tmp.iterdir()) == []
