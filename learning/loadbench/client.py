"""The benchmark's HTTP client: loopback only, a cookie jar, the real sign-in.

`Client` is a small HTTP client on the standard library with a cookie jar: it
signs in through the real forms and only ever talks to loopback.
"""

import http.client
import json
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from django.utils.translation import gettext as _

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


class BenchError(Exception):
    """A reason to stop, in words for the person who ran the benchmark."""


def loopback_only(host: str) -> str:
    """`host` when it names this machine's loopback; refuse anything else."""
    if host not in LOOPBACK_HOSTS:
        raise BenchError(
            _("Uji beban hanya boleh ke 127.0.0.1 atau localhost, bukan %(host)s.")
            % {"host": host or "?"}
        )
    return host


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """One person's browser: a cookie jar and requests to loopback only.

    A new connection per request, as gunicorn's sync workers close each one.
    Behind production's settings it sends what the TLS proxy in front would
    (`X-Forwarded-Proto: https`), so the site answers as it does in service.
    """

    def __init__(self, host: str, port: int, *, behind_proxy: bool, timeout=60.0):
        self.host = loopback_only(host)
        self.port = port
        self.behind_proxy = behind_proxy
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        scheme = "https" if behind_proxy else "http"
        self.origin = f"{scheme}://{host}:{port}"

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict | list | None = None,
        json_body=None,
    ) -> Response:
        headers = {"Host": f"{self.host}:{self.port}", "Accept-Language": "id"}
        if self.behind_proxy:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method != "GET":
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=self.timeout
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for value in answer.headers.get_all("Set-Cookie") or []:
            self._keep(value)
        return Response(answer.status, answer.headers, content, seconds)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def _keep(self, header: str) -> None:
        jar = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def form_token(response: Response) -> str:
    found = CSRF_INPUT.search(response.body)
    if not found:
        raise BenchError(
            _("Formulir tanpa token CSRF (status %(status)s).")
            % {"status": response.status}
        )
    return found.group(1).decode()


def sign_in(client: Client, username: str, password: str, code: str = "") -> float:
    """Sign in through `/masuk/` (and `/masuk/kode/` with a recovery code);
    the seconds the password POST took."""
    token = form_token(client.get("/masuk/"))
    answer = client.request(
        "POST",
        "/masuk/",
        form={"csrfmiddlewaretoken": token, "username": username, "password": password},
    )
    if answer.status != 302:
        raise BenchError(
            _("Tidak dapat masuk sebagai %(user)s (status %(status)s).")
            % {"user": username, "status": answer.status}
        )
    if code:  # the second step, asked before any page once the password is in
        token = form_token(client.get("/masuk/kode/"))
        second = client.request(
            "POST", "/masuk/kode/", form={"csrfmiddlewaretoken": token, "kode": code}
        )
        if second.status != 302:
            raise BenchError(
                _("Kode kedua %(user)s ditolak (status %(status)s).")
                % {"user": username, "status": second.status}
            )
    return answer.seconds
