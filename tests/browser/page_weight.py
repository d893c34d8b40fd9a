"""What a page load moves over the network, the page's and its service worker's.

Used by the budget tests (test_page_budgets.py) and by `bin/measure_pages`.

Requests are Playwright's, which in Chromium include those of the service
worker (`request.service_worker`): its network events are enabled before the
worker runs, so what it fetches on install is seen too. Counted: each request
that went over the network; not counted: what the browser's cache or the
worker's store answered.

The worker's own script is the exception: Chromium fetches it in the browser
process and reports it unreliably (on install the headers only, or nothing;
the update check Chromium makes after every navigation the worker controls,
never). So it is counted from what happened: one fetch when the load
registered the worker, one after each controlled navigation, each made here
the way Chromium asks for it (`Service-Worker: script`).

Two sizes per request: `wire_bytes`, headers and body as the server sent them
(Chromium's encodedDataLength); and `compressed_bytes`, what a server
compressing text would send: the same headers, a text body gzipped at level 6.
The test server and `make run` compress nothing (Django serves pages
uncompressed; whitenoise compresses static files only when `collectstatic` has
made compressed copies for production, and production's pages are compressed
only by a proxy such as nginx). Images, and bodies a server did compress
(whitenoise serving a STATIC_ROOT left by `collectstatic`), count as sent.

An emulated link (CDP's Network.emulateNetworkConditions) is given to the page
and, through a CDP auto-attach, to each worker. Playwright starts a worker
before this session can reach it, so the worker's first requests on install
may go out before the link is set; later ones, and all on a warm load, get it.
"""

import gzip
import json
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

PATIENCE_SECONDS = 60.0
# With a worker registered, wait (a while) until it has installed: what it
# stores on install is part of the first visit. Its script URL, or null.
WORKER_INSTALLED = """async () => {
  const registration = navigator.serviceWorker &&
    await navigator.serviceWorker.getRegistration();
  if (!registration) return null;
  await Promise.race([navigator.serviceWorker.ready,
                      new Promise(done => setTimeout(done, 10000))]);
  const worker = registration.active || registration.waiting || registration.installing;
  return worker && worker.scriptURL;
}"""


@dataclass
class Fetch:
    """One request of a load, and how it was answered."""

    url: str
    by: str  # "page" or "worker"
    served: str = "network"  # or "cache", "worker's store", "failed", "inferred …"
    wire_bytes: int = 0
    compressed_bytes: int = 0
    text: bool = True
    done: bool = False

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def from_network(self) -> bool:
        return self.served.startswith(("network", "failed", "inferred"))

    def __str__(self) -> str:
        return (
            f"{self.by:6} {self.compressed_bytes:>6} B compressed"
            f" ({self.wire_bytes:>6} B as sent)  {self.url}  [{self.served}]"
        )


class Traffic:
    """Watches one page, and the workers it starts, through its context's events.

    `conditions` are the parameters of CDP's Network.emulateNetworkConditions
    (None: no throttling); `quiet` is how long nothing may be in flight before
    a load counts as over.
    """

    def __init__(self, page, conditions: dict | None = None, quiet: float = 0.5):
        self.page, self.conditions, self.quiet = page, conditions, quiet
        self.requests: dict = {}  # Playwright's request -> Fetch
        self.registered = False  # a worker was registered before this load
        page.context.on("request", self._sent)
        page.context.on("requestfinished", self._finished)
        page.context.on("requestfailed", self._failed)
        if conditions:
            self.cdp = page.context.new_cdp_session(page)
            self.cdp.on("Target.attachedToTarget", self._throttle_worker)
            self.cdp.send("Network.enable")
            self.cdp.send("Network.emulateNetworkConditions", conditions)
            # Not flattened: Playwright keeps the flat sessions for itself, so
            # commands to a worker are sent wrapped, through this session.
            self.cdp.send(
                "Target.setAutoAttach",
                {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": False},
            )

    def _throttle_worker(self, params):
        for number, (method, arguments) in enumerate(
            [
                ("Network.enable", {}),
                ("Network.emulateNetworkConditions", self.conditions),
            ],
            start=1,
        ):
            message = {"id": number, "method": method, "params": arguments}
            self.cdp.send(
                "Target.sendMessageToTarget",
                {"sessionId": params["sessionId"], "message": json.dumps(message)},
            )

    def _sent(self, request):
        worker = request.service_worker
        if request.url.startswith("data:") or (worker and request.url == worker.url):
            return  # the worker's script: see the top of this file
        self.requests[request] = Fetch(request.url, "worker" if worker else "page")

    def _finished(self, request):
        fetch = self.requests.get(request)
        if fetch is None:
            return
        response = request.response()
        sizes = request.sizes()
        fetch.wire_bytes = max(
            0, sizes["responseHeadersSize"] + sizes["responseBodySize"]
        )
        if response.from_service_worker:
            fetch.served = "worker's store"
        elif not fetch.wire_bytes:
            fetch.served = "cache"  # not even headers came over the wire
        fetch.text = not (
            "content-encoding" in response.headers
            or response.headers.get("content-type", "").startswith("image/")
        )
        fetch.done = True

    def _failed(self, request):
        if request in self.requests:
            self.requests[request].served = "failed"
            self.requests[request].done = True

    def load(self, url: str) -> list[Fetch]:
        """Open `url`, let its worker install, wait until nothing moves.

        Returns every request of the load; `from_network` tells those that count.
        """
        self.requests.clear()
        self.page.goto(url, wait_until="load", timeout=PATIENCE_SECONDS * 1000)
        self._wait_until_quiet()
        script = self.page.evaluate(WORKER_INSTALLED)
        self._wait_until_quiet()
        fetches = list(self.requests.values())
        controlled = any(
            fetch.url == self.page.url
            and fetch.by == "page"
            and fetch.served == "worker's store"
            for fetch in fetches
        )
        if script and not self.registered:
            fetches.append(self._script_fetch(script, "inferred: install"))
        if script and controlled:
            fetches.append(self._script_fetch(script, "inferred: update check"))
        self.registered = bool(script)
        for fetch in fetches:
            if fetch.from_network and not fetch.compressed_bytes:
                fetch.compressed_bytes = self._compressed(fetch)
        return fetches

    def _compressed(self, fetch: Fetch) -> int:
        if not (fetch.text and fetch.wire_bytes):
            return fetch.wire_bytes
        # The same URL again, with this browser's cookies: the body as sent.
        body = self.page.context.request.get(fetch.url).body()
        return fetch.wire_bytes - len(body) + gzipped_size(body)

    def _script_fetch(self, url: str, why: str) -> Fetch:
        headers = {"Service-Worker": "script"}
        # The browser keeps the script it installed (served "no-cache" with an
        # ETag) and revalidates it on each check, as this does.
        etag = getattr(self, "script_etag", None)
        if why.endswith("update check") and etag:
            headers["If-None-Match"] = etag
        response = self.page.context.request.get(url, headers=headers)
        if response.status == 200:
            self.script_etag = response.headers.get("etag")
        body = response.body()  # decoded, when the server compressed it
        head = len(f"HTTP/1.1 {response.status} {response.status_text}\r\n\r\n") + sum(
            len(f"{header['name']}: {header['value']}\r\n")
            for header in response.headers_array
        )
        length = int(response.headers.get("content-length", len(body)))
        compressed = length if "content-encoding" in response.headers else None
        return Fetch(
            url,
            "worker",
            served=why,
            wire_bytes=head + length,
            compressed_bytes=head + (compressed or gzipped_size(body)),
            done=True,
        )

    def _wait_until_quiet(self):
        deadline = time.monotonic() + PATIENCE_SECONDS
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            if any(not fetch.done for fetch in self.requests.values()):
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= self.quiet:
                return
            self.page.wait_for_timeout(50)  # Playwright delivers events meanwhile
        pending = [fetch.url for fetch in self.requests.values() if not fetch.done]
        raise AssertionError(f"Still loading after {PATIENCE_SECONDS} s: {pending}")


def gzipped_size(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))
