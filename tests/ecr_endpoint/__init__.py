"""A local Amazon ECR endpoint for tests: real ECR JSON protocol, state per account and region,
validation from botocore's service model, a call log and injectable faults.

    from ecr_endpoint import EcrEndpoint
    endpoint = EcrEndpoint(page_size=1)
    url = endpoint.start()   # boto3.client("ecr", endpoint_url=url, ...)
"""

from .endpoint import EcrEndpoint

__all__ = ["EcrEndpoint"]
