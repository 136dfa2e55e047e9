"""A local Amazon ECR endpoint for tests: real ECR JSON protocol, state per account and region,
validation from botocore's service model, a call log and injectable faults.

    from ecr_endpoint import EcrEndpoint
    endpoint = EcrEndpoint(page_size=1)
    url = endpoint.start()   # boto3.client("ecr", endpoint_url=url, ...)

It serves the registry-level API: replication and registry policy (registry.py), creation templates,
pull through cache rules, registry scanning (scanning.py), account settings, signing, pull time update
exclusions and replication backfills (backfill.py). The unsigned control API under /_control/ (routes
listed in control.py) reads the call log, injects faults, resets, and seeds what the API cannot set:
secrets, older account setting values (/_control/account_settings) and the images replication
backfills find (/_control/backfill_images).
"""

from .endpoint import EcrEndpoint

__all__ = ["EcrEndpoint"]
