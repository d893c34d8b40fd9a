"""Waiting for what CI's worker does in its own process."""

import time


def wait_for(condition, seconds: float = 120, every: float = 0.2) -> bool:
    """Whether `condition()` became true within `seconds`, asked `every` seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False
