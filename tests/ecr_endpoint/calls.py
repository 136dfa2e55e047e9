"""The call log (what clients asked, to count calls and prove check mode wrote nothing) and
injected faults (throttling and 5xx, to exercise client retries)."""

import json
import threading

WRITE_PREFIXES = ("Put", "Create", "Update", "Delete")
FAULT_KINDS = ("throttle", "server_error")


def is_write(operation):
    """A write attempt, whatever its outcome: a rejected Put is still a Put the client sent."""
    return operation.startswith(WRITE_PREFIXES)


class CallLog:
    """One record per API request, in order; optionally appended as JSON lines to a file."""

    def __init__(self, path=None):
        self._lock = threading.Lock()
        self._records = []
        self._seq = 0
        self.path = path

    def record(self, service, operation, account, region, status, error_code):
        with self._lock:
            self._seq += 1
            entry = {
                "seq": self._seq,
                "service": service,
                "operation": operation,
                "account": account,
                "region": region,
                "write": is_write(operation),
                "status": status,
                "error_code": error_code,
            }
            self._records.append(entry)
            if self.path:
                with open(self.path, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(entry) + "\n")

    def records(self):
        with self._lock:
            return [dict(entry) for entry in self._records]

    def clear(self):
        """Forget the records; `seq` keeps counting so file lines stay unique."""
        with self._lock:
            self._records.clear()


class Faults:
    """Queued faults: each answers the next `count` matching ECR calls, then is spent."""

    def __init__(self):
        self._lock = threading.Lock()
        self._queue = []

    def inject(self, kind, count, operations=None):
        if kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {', '.join(FAULT_KINDS)}, not {kind!r}")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError(f"fault count must be a non-negative integer, not {count!r}")
        if operations is not None and not (isinstance(operations, list) and all(isinstance(op, str) for op in operations)):
            raise ValueError("fault operations must be a list of operation names")
        with self._lock:
            self._queue.append({"kind": kind, "remaining": count, "operations": operations})

    def take(self, operation):
        """The fault kind to answer `operation` with (spending one), or None."""
        with self._lock:
            for fault in self._queue:
                if fault["remaining"] > 0 and (fault["operations"] is None or operation in fault["operations"]):
                    fault["remaining"] -= 1
                    return fault["kind"]
            return None

    def pending(self):
        with self._lock:
            return [dict(fault) for fault in self._queue if fault["remaining"] > 0]

    def clear(self):
        with self._lock:
            self._queue.clear()
