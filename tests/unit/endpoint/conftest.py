"""One endpoint for the whole session (port 0, in-process), reset before each test, and real
boto3 clients pointed at it."""

import json
import os
import sys
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.config import Config

TESTS_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from ecr_endpoint import EcrEndpoint  # noqa: E402  (needs the path above)

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
REGION = "us-east-1"

# No client-side retries unless a test asks for them: every error must reach the assertion.
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture(scope="session")
def server():
    endpoint = EcrEndpoint(host="127.0.0.1", port=0)
    endpoint.start()
    yield endpoint
    endpoint.stop()


@pytest.fixture
def endpoint(server):
    server.reset()
    server.set_page_size(100)
    yield server
    server.reset()


@pytest.fixture
def make_client(endpoint):
    """make_client(service="ecr", region=REGION, account=ACCOUNT, config=NO_RETRIES)."""

    def make(service="ecr", region=REGION, account=ACCOUNT, config=NO_RETRIES):
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=endpoint.url,
            aws_access_key_id=f"AKIA{account}",
            aws_secret_access_key="local-secret",
            config=config,
        )

    return make


@pytest.fixture
def ecr(make_client):
    return make_client()


SIGNED = "AWS4-HMAC-SHA256 Credential=AKIA{account}/20260101/{region}/{service}/aws4_request, SignedHeaders=host, Signature=0"


@pytest.fixture
def raw(endpoint):
    """raw(method, path, body=b"", headers={}) -> (status, headers, body bytes), for what boto3 won't send."""

    def call(method, path, body=b"", headers=None):
        request = urllib.request.Request(endpoint.url + path, data=body or None, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    return call


@pytest.fixture
def raw_ecr(raw):
    """raw_ecr(operation, body, authorization=<signed as ACCOUNT in REGION>) -> (status, JSON body)."""

    def call(operation, body, authorization=SIGNED.format(account=ACCOUNT, region=REGION, service="ecr")):
        headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"AmazonEC2ContainerRegistry_V20150921.{operation}"}
        if authorization:
            headers["Authorization"] = authorization
        status, _headers, data = raw("POST", "/", body, headers)
        return status, json.loads(data)

    return call
