"""The local ECR endpoint for integration tests: one per session, reset before each test."""

import pytest

from ecr_endpoint import EcrEndpoint


@pytest.fixture(scope="session")
def endpoint_server():
    server = EcrEndpoint(page_size=2)  # small pages, so reads must follow nextToken
    server.start()
    yield server
    server.stop()


@pytest.fixture
def endpoint(endpoint_server):
    endpoint_server.reset()
    endpoint_server.set_page_size(2)
    return endpoint_server
