"""The control API under /_control/: plain JSON, no signature, so that playbooks, shell scripts
and other processes can read the call log, inject faults and reset the endpoint between runs.

    GET    /_control/calls             the call log            DELETE /_control/calls   forget it
    POST   /_control/faults            {"kind", "count", "operations", "seconds", "response"} (calls.py)
    DELETE /_control/faults            drop pending faults
    POST   /_control/reset             forget all state, calls and faults
    POST   /_control/config            {"page_size": N}
    POST   /_control/secrets           {"arn": "arn:aws:secretsmanager:..."}: a secret that "exists"
    GET    /_control/state             everything stored, per "account/region"
    POST   /_control/account_settings  {"account", "region", "name", "value"}: set an account setting
           directly, including the older values the API no longer puts (CLAIR, V1)
    POST   /_control/backfill_images   {"account", "region", "images": [{"repositoryName", "imageTag" and/or
           "imageDigest", "fail": ReplicationError code or null}], "reads_per_step": 1, "failure": null}:
           the images replication backfills of that registry find, how many List/Describe reads each
           status step takes, and a backfill failure code for backfills started afterwards (backfill.py)
"""

import json


def handle(endpoint, method, path, body):
    """(status, JSON payload) for one control request."""
    routes = {
        "/_control/calls": {"GET": _calls, "DELETE": _clear_calls},
        "/_control/faults": {"POST": _inject_fault, "DELETE": _clear_faults},
        "/_control/reset": {"POST": _reset},
        "/_control/config": {"POST": _config},
        "/_control/secrets": {"POST": _add_secret},
        "/_control/state": {"GET": _state},
        "/_control/account_settings": {"POST": _account_setting},
        "/_control/backfill_images": {"POST": _backfill_images},
    }
    if path not in routes:
        return 404, {"error": f"unknown control path {path}"}
    if method not in routes[path]:
        return 405, {"error": f"{path} takes {', '.join(routes[path])}, not {method}"}
    try:
        return 200, routes[path][method](endpoint, _json(body))
    except ValueError as error:
        return 400, {"error": str(error)}


def _json(body):
    if not body:
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        raise ValueError("the request body must be a JSON object") from None
    if not isinstance(data, dict):
        raise ValueError("the request body must be a JSON object")
    return data


def _calls(endpoint, data):
    return endpoint.calls()


def _clear_calls(endpoint, data):
    endpoint.clear_calls()
    return {"cleared": "calls"}


def _inject_fault(endpoint, data):
    unknown = set(data) - {"kind", "count", "operations", "seconds", "response"}
    if unknown:
        raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
    endpoint.inject_fault(
        kind=data.get("kind"), count=data.get("count", 1), operations=data.get("operations"),
        seconds=data.get("seconds"), response=data.get("response"),
    )
    return {"faults": endpoint.faults.pending()}


def _clear_faults(endpoint, data):
    endpoint.clear_faults()
    return {"cleared": "faults"}


def _reset(endpoint, data):
    endpoint.reset()
    return {"reset": True}


def _config(endpoint, data):
    if set(data) != {"page_size"}:
        raise ValueError('config takes {"page_size": N}')
    endpoint.set_page_size(data["page_size"])
    return {"page_size": endpoint.page_size}


def _add_secret(endpoint, data):
    if set(data) != {"arn"} or not isinstance(data["arn"], str):
        raise ValueError('secrets takes {"arn": "arn:aws:secretsmanager:..."}')
    endpoint.add_secret(data["arn"])
    return {"secrets": endpoint.store.dump()["secrets"]}


def _state(endpoint, data):
    return endpoint.state()


def _account_setting(endpoint, data):
    if set(data) != {"account", "region", "name", "value"}:
        raise ValueError('account_settings takes {"account": "111122223333", "region": "us-east-1", "name": ..., "value": ...}')
    endpoint.set_account_setting(*_registry_key(data), data["name"], data["value"])
    return {"name": data["name"], "value": data["value"]}


def _backfill_images(endpoint, data):
    if not {"account", "region", "images"} <= set(data) <= {"account", "region", "images", "reads_per_step", "failure"}:
        raise ValueError('backfill_images takes {"account", "region", "images": [...], "reads_per_step": 1, "failure": null}')
    endpoint.seed_backfill_images(*_registry_key(data), data["images"], data.get("reads_per_step", 1), data.get("failure"))
    return {"images": len(data["images"])}


def _registry_key(data):
    """(account, region) named by a control request: a 12-digit account id and a region name."""
    account, region = data["account"], data["region"]
    if not (isinstance(account, str) and len(account) == 12 and account.isdigit()):
        raise ValueError(f"account must be a 12-digit account id, not {account!r}")
    if not (isinstance(region, str) and region):
        raise ValueError(f"region must be a region name, not {region!r}")
    return account, region
