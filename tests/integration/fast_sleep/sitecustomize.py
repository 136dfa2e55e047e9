"""Put on PYTHONPATH (ansible_run.FAST_SLEEP) for the runs that exhaust a retry budget: every
time.sleep of the module process is scaled by ECRKIT_TEST_SLEEP_SCALE, so the same calls and
retries happen against the endpoint, only without minutes of backoff."""

import os
import time

_SCALE = float(os.environ.get("ECRKIT_TEST_SLEEP_SCALE", "1"))
_sleep = time.sleep


def _scaled_sleep(seconds):
    _sleep(seconds * _SCALE)


if _SCALE != 1:
    time.sleep = _scaled_sleep
