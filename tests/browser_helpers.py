"""Headless Chromium for the page tests: open a page, run JavaScript, press keys, read the console.

The same DevTools-protocol approach as the gallery test in test_publish.py, with console errors
and exceptions collected and screenshots taken through the protocol.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         # WebGL without a GPU: Chromium's software renderer.
         "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--autoplay-policy="
         "no-user-gesture-required"]


class Tab:
    """One page of a headless Chromium, driven over the DevTools protocol."""

    def __init__(self, ws_url: str):
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=60)
        self.n = 0
        self.errors: list[str] = []
        self.requests: list[str] = []

    def _event(self, msg: dict) -> None:
        method, params = msg.get("method"), msg.get("params", {})
        if method == "Runtime.exceptionThrown":
            self.errors.append(json.dumps(params.get("exceptionDetails", {}))[:500])
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append(json.dumps(params.get("args", []))[:500])
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            # A plain HTTP server has no favicon: the browser's own request, not the page's.
            if not params["entry"].get("url", "").endswith("/favicon.ico"):
                self.errors.append(params["entry"].get("text", "")[:500])
        elif method == "Network.requestWillBeSent":
            self.requests.append(params.get("request", {}).get("url", ""))

    def call(self, method: str, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                assert "error" not in msg, msg
                return msg["result"]
            self._event(msg)

    def pump(self, seconds: float) -> None:
        """Read events for `seconds` (console errors arrive asynchronously)."""
        self.ws.settimeout(0.2)
        end = time.monotonic() + seconds
        try:
            while time.monotonic() < end:
                try:
                    self._event(json.loads(self.ws.recv()))
                except Exception:
                    pass
        finally:
            self.ws.settimeout(60)

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression,
                         returnByValue=True)["result"].get("value")

    def wait_for(self, expression: str, seconds: float = 30):
        end = time.monotonic() + seconds
        value = None
        while time.monotonic() < end:
            value = self.evaluate(expression)
            if value:
                return value
            self.pump(0.25)
        return value

    def press(self, key: str = "ArrowRight", code: int = 39) -> None:
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=key,
                      windowsVirtualKeyCode=code, nativeVirtualKeyCode=code)

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path


@contextmanager
def chromium_tab(url: str, size: tuple[int, int] = (1280, 800)) -> Iterator[Tab]:
    """A headless Chromium showing `url`, its console and network watched from the start."""
    profile = tempfile.mkdtemp(prefix="gdviz-chromium-")
    proc = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}",
                             f"--window-size={size[0]},{size[1]}",
                             "--remote-debugging-port=0", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        ws_browser = None
        assert proc.stderr is not None
        for line in proc.stderr:
            if "DevTools listening on" in line:
                ws_browser = line.split("listening on", 1)[1].strip()
                break
        assert ws_browser, "chromium did not start its DevTools endpoint"
        port = ws_browser.split(":")[2].split("/")[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=10))
        tab = Tab(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        for domain in ("Page", "Runtime", "Log", "Network"):
            tab.call(f"{domain}.enable")
        tab.call("Emulation.setDeviceMetricsOverride", width=size[0], height=size[1],
                 deviceScaleFactor=1, mobile=False)
        tab.call("Page.navigate", url=url)
        yield tab
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(profile, ignore_errors=True)
