"""``partnerships preview``: the report on http://127.0.0.1:PORT/, rebuilt and reloaded when
notebooks/, data/, src/ or report.yml change.

- A change is noticed by polling file sizes and modification times (every 0.1 s, no
  dependency); editors that save in several steps are waited for (0.1 s of quiet).
- The rebuild is the normal build with its cache: only the chapters whose code, parameters
  or data changed are executed again (a prose edit in a Markdown cell executes nothing);
  only the HTML is rendered (no PDF), into ``build/preview-server/`` (report/ is not touched),
  and chapters whose inputs are unchanged are not converted again (render memo).
- The page is served with a small script added to the served copy only: it listens to
  ``/__reload`` (server-sent events) and reloads at the same scroll position. The HTML file
  the build writes stays script-free, like the published report.
- A failing rebuild (bad data, a chapter error, an unknown ``{{value}}`` or ``@label``) keeps
  the last good page and shows the message in a banner on top of it.
"""

from __future__ import annotations

import html
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from partnerships import paths

#: What the preview watches, under the project root.
WATCHED = ("notebooks", "data", "src", "report.yml")
_SKIP_PARTS = {".ipynb_checkpoints", "__pycache__", ".git"}
_SKIP_SUFFIXES = {".txt", ".pyc", ".tmp", ".swp"}

RELOAD_SCRIPT = """<script>
(function () {
  var y = sessionStorage.getItem("partnerships-preview-y");
  if (y !== null) { window.addEventListener("load", function () { window.scrollTo(0, +y); }); }
  var es = new EventSource("/__reload");
  es.onmessage = function (e) {
    sessionStorage.setItem("partnerships-preview-y", String(window.scrollY));
    location.reload();
  };
})();
</script>"""


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """relative path -> (size, mtime_ns) of every watched file."""
    out: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        base = root / name
        files = [base] if base.is_file() else (base.rglob("*") if base.is_dir() else [])
        for f in files:
            if f.suffix in _SKIP_SUFFIXES or _SKIP_PARTS & set(f.parts) or f.name.startswith(".#"):
                continue
            try:
                st = f.stat()
            except OSError:
                continue
            if f.is_file():
                out[f.relative_to(root).as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


def with_reload(page: str, error: str | None = None) -> str:
    """The served copy: the reload script (and an error banner) added before </body>."""
    extra = RELOAD_SCRIPT
    if error:
        extra = (
            '<div role="alert" style="position:fixed;top:0;left:0;right:0;z-index:9999;background:#7a1f1f;'
            'color:#fff;font:14px/1.4 sans-serif;padding:10px 16px;white-space:pre-wrap">'
            f"<strong>Preview not updated</strong> (showing the last good build):\n{html.escape(error)}</div>" + extra
        )
    i = page.rfind("</body>")
    return page[:i] + extra + page[i:] if i >= 0 else page + extra


class Preview:
    """The state shared by the watcher and the web server."""

    def __init__(self, build, out_html: Path, stream=None):
        self.build = build  # callable(memo) -> None; raises on failure
        self.out_html = out_html
        self.stream = stream
        self.memo: dict = {}
        self.version = 0
        self.error: str | None = None
        self.cond = threading.Condition()
        self.last_seconds = None

    def rebuild(self) -> None:
        t0 = time.monotonic()
        try:
            self.build(self.memo)
            error = None
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - every failure is shown, the server keeps running
            error = str(exc) or type(exc).__name__
        self.last_seconds = time.monotonic() - t0
        with self.cond:
            self.error = error
            self.version += 1
            self.cond.notify_all()
        status = f"error: {error}" if error else f"rebuilt in {self.last_seconds:.1f} s"
        print(f"preview: {status}", file=self.stream, flush=True)

    def page(self) -> str:
        if self.out_html.exists():
            body = self.out_html.read_text(encoding="utf-8")
        else:
            body = "<!DOCTYPE html><html><body><p>No report built yet.</p></body></html>"
        return with_reload(body, self.error)


def _handler(preview: Preview):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):
            if self.path.split("?")[0] in ("/", "/index.html"):
                data = preview.page().encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            elif self.path == "/__reload":
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                with preview.cond:
                    seen = preview.version
                try:
                    while True:
                        with preview.cond:
                            last = seen
                            preview.cond.wait_for(lambda last=last: preview.version != last, timeout=15)
                            changed, seen = preview.version != last, preview.version
                        self.wfile.write(b"data: reload\n\n" if changed else b": keep-alive\n\n")
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    return
            else:
                self.send_error(404)

    return Handler


def watch(preview: Preview, root: Path, stop: threading.Event, interval: float = 0.1, quiet: float = 0.1) -> None:
    """Rebuild whenever a watched file changes (until ``stop`` is set)."""
    before = snapshot(root)
    while not stop.is_set():
        stop.wait(interval)
        now = snapshot(root)
        if now == before:
            continue
        while True:  # wait until the files stay still (editors save in steps)
            stop.wait(quiet)
            later = snapshot(root)
            if later == now:
                break
            now = later
        changed = sorted(k for k in set(now) | set(before) if now.get(k) != before.get(k))
        print(
            f"preview: changed {', '.join(changed[:5])}{' ...' if len(changed) > 5 else ''}",
            file=preview.stream,
            flush=True,
        )
        before = now
        preview.rebuild()
        before = snapshot(root)  # what the build itself touched does not count as a change


def serve(build, port: int = 8000, host: str = "127.0.0.1", stream=None, ready=None) -> None:
    """Build once, then serve and watch until Ctrl-C. ``build(memo, html_to)`` does one build."""
    out_html = paths.build_dir() / "preview-server" / "report.html"
    preview = Preview(lambda memo: build(memo, out_html), out_html, stream)
    preview.rebuild()
    server = ThreadingHTTPServer((host, port), _handler(preview))
    server.daemon_threads = True
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(preview, paths.root(), stop), daemon=True)
    watcher.start()
    url = f"http://{host}:{server.server_address[1]}/"
    print(f"preview: serving {url} (Ctrl-C stops); watching {', '.join(WATCHED)}", file=stream, flush=True)
    if ready is not None:
        ready(url)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()


__all__ = ["serve", "snapshot", "with_reload", "Preview", "RELOAD_SCRIPT"]
