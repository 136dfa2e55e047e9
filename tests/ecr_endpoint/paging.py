"""Pagination as ECR's describe calls do it: `maxResults` (default 100) and an opaque `nextToken`.

The endpoint's page size caps every page, so a small page size makes any describe call span
several pages and proves that a client follows `nextToken` (i.e. uses a paginator).
"""

import base64
import binascii
import json

from .errors import invalid_parameter


def page(items, key, params, page_size):
    """Return (page_items, next_token) from `items` sorted by `key`.

    The token names the last key served, so a page stays correct if items change in between.
    """
    limit = min(params.get("maxResults") or page_size, page_size)
    ordered = sorted(items, key=key)
    token = params.get("nextToken")
    if token is not None:
        after = _decode(token)
        ordered = [item for item in ordered if key(item) > after]
    chunk = ordered[:limit]
    next_token = _encode(key(chunk[-1])) if len(ordered) > limit else None
    return chunk, next_token


def _encode(last_key):
    return base64.urlsafe_b64encode(json.dumps({"after": last_key}).encode()).decode()


def _decode(token):
    try:
        after = json.loads(base64.urlsafe_b64decode(token.encode()))["after"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise invalid_parameter("nextToken", "Invalid pagination token") from None
    if not isinstance(after, str):
        raise invalid_parameter("nextToken", "Invalid pagination token")
    return after
