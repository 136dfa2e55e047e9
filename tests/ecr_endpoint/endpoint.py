"""EcrEndpoint: the local ECR endpoint as one object, to start in-process or from the CLI.

Defaults come from the environment at construction, so a process started by a test script
can be configured without arguments: ECR_ENDPOINT_PAGE_SIZE, ECR_ENDPOINT_CALL_LOG,
ECR_ENDPOINT_THROTTLE (the first N calls are throttled), ECR_ENDPOINT_SERVER_ERRORS (the first N
calls are answered 500).
"""

import os
import threading

from . import backfill
from .account_settings import READABLE_VALUES
from .calls import CallLog, Faults
from .server import EndpointServer
from .service import EcrService
from .state import Store

DEFAULT_PAGE_SIZE = 100  # ECR's own page size when maxResults is not given


class EcrEndpoint:
    def __init__(self, host="127.0.0.1", port=0, page_size=None, call_log_path=None):
        self.host, self.port = host, port
        self.set_page_size(page_size if page_size is not None else _env_int("ECR_ENDPOINT_PAGE_SIZE", DEFAULT_PAGE_SIZE))
        self.store = Store()
        self.faults = Faults()
        self.call_log = CallLog(call_log_path or os.environ.get("ECR_ENDPOINT_CALL_LOG") or None)
        self.service = EcrService(self.store, self.faults)
        for variable, kind in (("ECR_ENDPOINT_THROTTLE", "throttle"), ("ECR_ENDPOINT_SERVER_ERRORS", "server_error")):
            count = _env_int(variable, 0)
            if count:
                self.faults.inject(kind, count)
        self.url = None
        self._server = None
        self._thread = None

    def start(self):
        """Listen and serve in a background thread; return the base URL for `endpoint_url`."""
        self._server = EndpointServer((self.host, self.port), self)
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="ecr-endpoint", daemon=True)
        self._thread.start()
        return self.url

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = self._thread = None

    def calls(self):
        """The call records so far, oldest first (copies)."""
        return self.call_log.records()

    def clear_calls(self):
        self.call_log.clear()

    def record_call(self, service, operation, caller, status, error_code):
        account, region = (caller.account, caller.region) if caller else (None, None)
        self.call_log.record(service, operation, account, region, status, error_code)

    def inject_fault(self, kind="throttle", count=1, operations=None, seconds=None, response=None):
        """Fault the next `count` ECR calls (of `operations`, if given): see calls.py for the kinds."""
        self.faults.inject(kind, count, operations, seconds, response)

    def clear_faults(self):
        self.faults.clear()

    def set_page_size(self, page_size):
        if not isinstance(page_size, int) or isinstance(page_size, bool) or page_size < 1:
            raise ValueError(f"page_size must be a positive integer, not {page_size!r}")
        self.page_size = page_size

    def add_secret(self, arn):
        """Make a Secrets Manager secret "exist", so rules using it validate."""
        self.store.add_secret(arn)

    def set_account_setting(self, account, region, name, value):
        """Set an account setting as stored, older values the API cannot put included (CLAIR, V1)."""
        if name not in READABLE_VALUES or value not in READABLE_VALUES[name]:
            valid = "; ".join(f"{known}: {', '.join(values)}" for known, values in READABLE_VALUES.items())
            raise ValueError(f"unknown account setting {name!r} = {value!r}; known: {valid}")
        with self.store.lock:
            self.store.registry(account, region).account_settings[name] = value

    def seed_backfill_images(self, account, region, images, reads_per_step=1, failure=None):
        """The images replication backfills of that registry will find, and how they progress (backfill.py)."""
        with self.store.lock:
            backfill.seed_images(self.store.registry(account, region), images, reads_per_step, failure)

    def reset(self):
        """Forget all registries, secrets, calls and faults (the page size stays)."""
        self.store.reset()
        self.clear_calls()
        self.clear_faults()

    def state(self):
        return {"url": self.url, "page_size": self.page_size, "faults": self.faults.pending(), **self.store.dump()}


def _env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {value!r}") from None
