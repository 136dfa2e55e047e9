"""The call log (what clients asked, to count calls and prove check mode wrote nothing) and
injected faults, to exercise client retries and races:

- `throttle`: answer ThrottlingException (400); nothing is applied.
- `server_error`: answer ServerException (500); nothing is applied.
- `delay` (`seconds`): wait before serving the call, then serve it. On a write, this widens the
  window between the client's read and its write, as a slow or throttled writer does.
- `reset`: close the connection without a response (TCP reset); nothing is applied.
- `drop_response` (`response`: "reset" or "500"): apply the call, then lose its response: reset
  the connection, or answer ServerException (500). The client cannot tell it was applied.

A call whose connection was reset is logged with status None and error_code "ConnectionReset".
"""

import json
import threading

# Register/Deregister (pull time exclusions) and Start/Stop (replication backfills) change state too.
WRITE_PREFIXES = ("Put", "Create", "Update", "Delete", "Register", "Deregister", "Start", "Stop")
FAULT_KINDS = ("throttle", "server_error", "delay", "reset", "drop_response")
DROPPED_RESPONSES = ("reset", "500")
MAX_DELAY = 30


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

    def inject(self, kind, count, operations=None, seconds=None, response=None):
        if kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {', '.join(FAULT_KINDS)}, not {kind!r}")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError(f"fault count must be a non-negative integer, not {count!r}")
        if operations is not None and not (isinstance(operations, list) and all(isinstance(op, str) for op in operations)):
            raise ValueError("fault operations must be a list of operation names")
        fault = {"kind": kind, "remaining": count, "operations": operations}
        if kind == "delay":
            if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not 0 < seconds <= MAX_DELAY:
                raise ValueError(f"a delay fault needs seconds, a number above 0 and at most {MAX_DELAY}, not {seconds!r}")
            fault["seconds"] = seconds
        elif seconds is not None:
            raise ValueError(f"seconds is for delay faults, not {kind!r}")
        if kind == "drop_response":
            response = "reset" if response is None else response
            if response not in DROPPED_RESPONSES:
                raise ValueError(f"a drop_response fault's response must be one of {', '.join(DROPPED_RESPONSES)}, not {response!r}")
            fault["response"] = response
        elif response is not None:
            raise ValueError(f"response is for drop_response faults, not {kind!r}")
        with self._lock:
            self._queue.append(fault)

    def take(self, operation):
        """The fault to answer `operation` with (spending one; a copy), or None."""
        with self._lock:
            for fault in self._queue:
                if fault["remaining"] > 0 and (fault["operations"] is None or operation in fault["operations"]):
                    fault["remaining"] -= 1
                    return dict(fault)
            return None

    def pending(self):
        with self._lock:
            return [dict(fault) for fault in self._queue if fault["remaining"] > 0]

    def clear(self):
        with self._lock:
            self._queue.clear()
