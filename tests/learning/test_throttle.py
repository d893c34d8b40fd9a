"""Counting requests per client address (learning.throttle)."""

import time

from django.core.cache import cache
from django.test import RequestFactory, override_settings

import pytest

from learning.throttle import allow, client_address


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


def request_from(address: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def asks(request, times: int, **limits) -> list[bool]:
    return [allow(request, **limits) for _ in range(times)]


LIMITS = {"bucket": "uji", "limit": 3, "per_seconds": 60}


def test_the_limit_holds_per_address_and_per_bucket():
    assert asks(request_from("10.0.0.1"), 4, **LIMITS) == [True, True, True, False]
    assert allow(request_from("10.0.0.2"), **LIMITS)
    assert allow(request_from("10.0.0.1"), **{**LIMITS, "bucket": "lain"})


def test_the_window_ends_and_the_address_may_ask_again():
    request = request_from("10.0.0.3")
    limits = {**LIMITS, "per_seconds": 1}
    assert asks(request, 4, **limits) == [True, True, True, False]
    time.sleep(1.2)
    assert allow(request, **limits)


def test_without_trusted_proxies_the_forwarded_header_is_ignored():
    assert client_address(request_from("10.0.0.4", "1.2.3.4")) == "10.0.0.4"
    for number in range(3):
        assert allow(request_from("10.0.0.4", f"1.2.3.{number}"), **LIMITS)
    assert not allow(request_from("10.0.0.4", "1.2.3.99"), **LIMITS)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_counts_and_nothing_left_of_it():
    # The proxy appends the address it saw; what the client wrote is left of it.
    assert client_address(request_from("127.0.0.1", "6.6.6.6, 36.72.1.9")) == (
        "36.72.1.9"
    )
    for invented in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        assert allow(request_from("127.0.0.1", f"{invented}, 36.72.1.9"), **LIMITS)
    assert not allow(request_from("127.0.0.1", "4.4.4.4, 36.72.1.9"), **LIMITS)
    assert allow(request_from("127.0.0.1", "36.72.1.10"), **LIMITS)
    # No header (a request that did not come through the proxy): the socket's.
    assert client_address(request_from("10.0.0.5")) == "10.0.0.5"


def test_addresses_of_one_ipv6_network_share_a_count():
    """A phone holds a whole /64 and can pick a new address in it at will."""
    for host in ("1", "2", "3"):
        assert allow(request_from(f"2001:db8:aa:bb::{host}"), **LIMITS)
    assert not allow(request_from("2001:db8:aa:bb::4"), **LIMITS)
    assert allow(request_from("2001:db8:aa:cc::1"), **LIMITS)


@pytest.mark.parametrize("address", ["", "bukan-alamat", "\x00", "x" * 10_000])
def test_odd_addresses_are_counted_not_refused(address):
    assert asks(request_from(address), 4, **LIMITS) == [True, True, True, False]
