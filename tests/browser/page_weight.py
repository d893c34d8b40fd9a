"""What a page load moves over the network, the page's and its service worker's.

Used by the budget tests (test_page_budgets.py) and by `bin/measure_pages`.

Chromium's DevTools protocol (CDP) reports the page's requests. The service
worker the page registers is another target, caught here by auto-attach before
it runs, so what it fetches (on install, and for the page) is reported too, and
it gets the same emulated link. Not flattened: Playwright keeps the flat
sessions for itself, so the worker's messages reach this page's session wrapped
(`Target.receivedMessageFromTarget`) and are sent wrapped.

Counted: each request that went over the network. Not counted: what the
browser's cache or the worker's store answered.

The worker's own script is the exception: Chromium fetches it in the browser
process, and DevTools reports it unreliably (on install the headers only, or
nothing; the update check Chromium makes after every navigation the worker
controls, never). So it is counted from what happened: one fetch when the load
registered the worker, one after each controlled navigation, each made here
the way Chromium asks for it (`Service-Worker: script`).

Two sizes per request: `wire_bytes`, headers and body as the server sent them
(CDP's encodedDataLength); and `compressed_bytes`, what a server compressing
text would send: the same headers, a text body gzipped at level 6. The test
server and `make run` compress nothing (Django serves pages uncompressed;
whitenoise compresses static files only when `collectstatic` has made
compressed copies for production, and production's pages are compressed only
by a proxy such as nginx). Images, and bodies a server did compress (whitenoise
serving a STATIC_ROOT left by `collectstatic`), count as they were sent.
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
NETWORK_EVENTS = (
    "requestWillBeSent",
    "requestServedFromCache",
    "responseReceived",
    "loadingFinished",
    "loadingFailed",
)


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
    """Watches one page, and the workers it starts, over its CDP session.

    `conditions` are CDP's Network.emulateNetworkConditions parameters, given
    to the page and to each worker; `quiet` is how long nothing may be in
    flight before a load counts as over.
    """

    def __init__(self, page, conditions: dict | None = None, quiet: float = 0.5):
        self.page, self.conditions, self.quiet = page, conditions, quiet
        self.requests: dict[tuple[str, str], Fetch] = {}
        self.worker_scripts: dict[str, str] = {}  # worker's session -> script URL
        self.registered = False  # a worker was registered before this load
        self.cdp = page.context.new_cdp_session(page)
        for event in NETWORK_EVENTS:
            self.cdp.on(
                f"Network.{event}",
                lambda params, event=event: self._network("page", event, params),
            )
        self.cdp.on("Target.attachedToTarget", self._attached)
        self.cdp.on("Target.receivedMessageFromTarget", self._from_worker)
        self.cdp.send("Network.enable")
        if conditions:
            self.cdp.send("Network.emulateNetworkConditions", conditions)
        self.cdp.send(
            "Target.setAutoAttach",
            {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False},
        )

    def _attached(self, params):
        # The worker waits for the debugger: it gets the link before it fetches.
        session = params["sessionId"]
        self.worker_scripts[session] = params["targetInfo"]["url"]
        commands = [("Network.enable", {})]
        if self.conditions:
            commands.append(("Network.emulateNetworkConditions", self.conditions))
        commands.append(("Runtime.runIfWaitingForDebugger", {}))
        for number, (method, arguments) in enumerate(commands, start=1):
            message = {"id": number, "method": method, "params": arguments}
            self.cdp.send(
                "Target.sendMessageToTarget",
                {"sessionId": session, "message": json.dumps(message)},
            )

    def _from_worker(self, params):
        message = json.loads(params["message"])
        if message.get("method", "").startswith("Network."):
            event = message["method"].removeprefix("Network.")
            self._network(params["sessionId"], event, message["params"])

    def _network(self, source, event, params):
        key = (source, params["requestId"])
        if event == "requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith("data:") and url != self.worker_scripts.get(source):
                by = "page" if source == "page" else "worker"
                self.requests[key] = Fetch(url, by)
            return
        fetch = self.requests.get(key)
        if fetch is None:
            return
        if event == "requestServedFromCache":
            fetch.served = "cache"
        elif event == "responseReceived":
            response = params["response"]
            if response.get("fromServiceWorker"):
                fetch.served = "worker's store"
            elif response.get("fromDiskCache") or response.get("fromPrefetchCache"):
                fetch.served = "cache"
            encoded = any(
                name.lower() == "content-encoding" for name in response["headers"]
            )
            fetch.text = not (encoded or response["mimeType"].startswith("image/"))
        elif event == "loadingFinished":
            fetch.wire_bytes, fetch.done = int(params["encodedDataLength"]), True
            if fetch.served == "network" and not fetch.wire_bytes:
                fetch.served = "cache"  # not even headers came over the wire
        elif event == "loadingFailed":
            fetch.served, fetch.done = "failed", True

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
        response = self.page.context.request.get(
            url, headers={"Service-Worker": "script"}
        )
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
