"""One ECR API call from target to result: operation lookup, injected fault, JSON body, model
validation, then the operation's handler. Faults come before everything else, so a faulted call
never changes state (as a throttled AWS call does not)."""

import copy
import json
import time

import botocore.session

from . import account_settings, backfill, creation_templates, pull_through, pull_time_exclusions, registry, scanning, signing
from .errors import ConnectionDropped, EcrError
from .state import Context
from .validation import Validator

TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921."
HANDLERS = {
    **registry.HANDLERS, **creation_templates.HANDLERS, **pull_through.HANDLERS, **scanning.HANDLERS,
    **account_settings.HANDLERS, **signing.HANDLERS, **pull_time_exclusions.HANDLERS,
    **backfill.HANDLERS,
}


def operation_of(target):
    """The operation named by an X-Amz-Target header ('' when there is none)."""
    target = target or ""
    return target[len(TARGET_PREFIX):] if target.startswith(TARGET_PREFIX) else target


class EcrService:
    def __init__(self, store, faults):
        self.model = botocore.session.get_session().get_service_model("ecr")
        self._validator = Validator(self.model)
        self._store = store
        self._faults = faults

    def call(self, target, body, account, region, page_size):
        """The operation's result dict; raises EcrError for every AWS error."""
        operation = operation_of(target)
        if not (target or "").startswith(TARGET_PREFIX) or operation not in self.model.operation_names:
            raise EcrError("UnknownOperationException", f"Unknown operation {target}")
        if operation not in HANDLERS:
            raise EcrError("UnknownOperationException", f"Operation {operation} is not served by the local ECR endpoint")
        fault = self._faults.take(operation) or {"kind": None}
        if fault["kind"] == "throttle":
            raise EcrError("ThrottlingException", "Rate exceeded")
        if fault["kind"] == "server_error":
            raise EcrError("ServerException", "Injected server error: please retry", status=500)
        if fault["kind"] == "reset":
            raise ConnectionDropped(applied=False)
        if fault["kind"] == "delay":
            time.sleep(fault["seconds"])  # outside the lock: other clients go on meanwhile
        params = _parse(body)
        self._validator.validate(operation, params)
        with self._store.lock:
            # A copy, so the response is serialised from a snapshot, not from live state.
            result = copy.deepcopy(HANDLERS[operation](Context(account, region, self._store, page_size), params))
        if fault["kind"] == "drop_response":
            if fault["response"] == "reset":
                raise ConnectionDropped(applied=True)
            raise EcrError("ServerException", "Injected server error after the call was applied", status=500)
        return result


def _parse(body):
    try:
        params = json.loads(body or b"{}")
    except ValueError:
        raise EcrError("SerializationException", "Request body is not valid JSON") from None
    if not isinstance(params, dict):
        raise EcrError("SerializationException", "Request body must be a JSON object")
    return params
