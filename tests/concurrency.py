"""Twenty requests at once: each call in its own thread and database
connection, all released together."""

import threading
from collections.abc import Callable

from django.db import connection


def all_at_once(calls: list[Callable[[], object]]) -> list:
    """Run every call together; their results in the order given, or
    ("raised", repr(error)) for one that raised (reported by the caller's assert)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except Exception as error:  # noqa: BLE001 - returned to the caller
            results[index] = ("raised", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def signed_in_clients(user, count: int) -> list:
    """`count` test clients, each with its own session for `user`."""
    from django.test import Client

    clients = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients
