"""The HTTP front: who is calling (from the SigV4 credential scope), which protocol, which route.

Requests are routed three ways: `/_control/...` (the test-control API, unsigned JSON), STS
(query protocol, form body, XML answers) and ECR (awsJson1_1, `X-Amz-Target`, JSON answers).
Signatures are not verified: the credential scope only says who and where.
"""

import json
import re
import socket
import struct
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import control, other_services, sts
from .errors import ConnectionDropped, EcrError
from .service import operation_of

JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
DEFAULT_ACCOUNT = "123456789012"
_SCOPE = re.compile(r"Credential=(?P<key>[^/,\s]+)/\d{8}/(?P<region>[^/,\s]+)/(?P<service>[^/,\s]+)/aws4_request")
_ACCOUNT_IN_KEY = re.compile(r"[0-9]{12}")


@dataclass
class Caller:
    account: str
    region: str
    service: str


def parse_authorization(header):
    """The Caller named by a SigV4 Authorization header.

    The account is the first run of 12 digits in the access key id (so a test picks its account
    by its key, e.g. AKIA111122223333), else 123456789012.
    """
    if not header:
        raise EcrError("MissingAuthenticationTokenException", "Missing Authentication Token")
    scope = _SCOPE.search(header)
    if not scope:
        raise EcrError("IncompleteSignatureException", f"Authorization header requires a valid Credential: {header}")
    account = _ACCOUNT_IN_KEY.search(scope.group("key"))
    return Caller(account.group() if account else DEFAULT_ACCOUNT, scope.group("region"), scope.group("service"))


class EndpointServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, endpoint):
        super().__init__(address, RequestHandler)
        self.endpoint = endpoint


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as boto3's connection pool expects
    server_version = "ecr-endpoint"
    timeout = 60  # drop idle keep-alive connections

    def do_GET(self):
        self._route("GET")

    def do_POST(self):
        self._route("POST")

    def do_DELETE(self):
        self._route("DELETE")

    def log_message(self, format, *args):
        """Silent: the call log is the record of what happened."""

    def _route(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urlsplit(self.path).path
        if path.startswith("/_control/"):
            status, payload = control.handle(self.server.endpoint, method, path, body)
            self._send(status, "application/json", json.dumps(payload))
        elif method != "POST" or path != "/":
            self._send(404, "application/json", json.dumps({"error": f"no route for {method} {path}"}))
        else:
            self._api(body)

    def _api(self, body):
        try:
            caller, auth_error = parse_authorization(self.headers.get("Authorization")), None
        except EcrError as error:
            caller, auth_error = None, error
        target = self.headers.get("X-Amz-Target")
        service = caller.service if caller else ("ecr" if target else "sts")
        if service == "sts":
            self._sts(body, caller)
        elif service == "ecr":
            self._ecr(body, caller, auth_error, target, service)
        else:
            self._denied(body, caller, service)

    def _ecr(self, body, caller, auth_error, target, service):
        endpoint = self.server.endpoint
        try:
            if auth_error:
                raise auth_error
            result = endpoint.service.call(target, body, caller.account, caller.region, endpoint.page_size)
            status, payload, error_code = 200, result, None
        except EcrError as error:
            status, payload, error_code = error.status, {"__type": error.code, "message": error.message}, error.code
        except ConnectionDropped:
            endpoint.record_call(service, operation_of(target), caller, None, "ConnectionReset")
            self._reset()
            return
        endpoint.record_call(service, operation_of(target) or "Unknown", caller, status, error_code)
        self._send(status, JSON_CONTENT_TYPE, json.dumps(payload), error_code)

    def _reset(self):
        """Close the connection with a TCP reset and no response, as a dropped connection does."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def _sts(self, body, caller):
        status, xml, operation, error_code = sts.handle(body, caller.account if caller else None)
        self.server.endpoint.record_call("sts", operation, caller, status, error_code)
        self._send(status, "text/xml", xml)

    def _denied(self, body, caller, service):
        status, xml, operation, error_code = other_services.handle(body, caller.account, service)
        self.server.endpoint.record_call(service, operation, caller, status, error_code)
        self._send(status, "text/xml", xml)

    def _send(self, status, content_type, text, error_code=None):
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if error_code:
            self.send_header("x-amzn-ErrorType", error_code)
        self.end_headers()
        self.wfile.write(data)
