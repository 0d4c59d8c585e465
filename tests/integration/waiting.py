"""Waiting for something another process does (a worker renders, starts, answers), with its log on time-out."""

import time

import pytest


def wait_for(predicate, timeout=60.0, what="condition", log=lambda: ""):
    """The predicate's first true value, polled every 0.1 s; the test fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{log()}")
