"""Pull through cache rules: a repository prefix (or `ROOT`) mapped to an upstream registry.

ECR derives the upstream registry from the URL's host and refuses hosts it does not support.
Upstreams that need authentication take a Secrets Manager secret (`credentialArn`, its name
starting `ecr-pullthroughcache/`, enforced by the model's pattern); an ECR upstream in another
account takes an IAM role (`customRoleArn`) instead. Only those two can be updated in place.
"""

import re

from . import paging
from .errors import EcrError, invalid_parameter
from .state import now

_HOSTS = {
    "public.ecr.aws": "ecr-public",
    "registry.k8s.io": "k8s",
    "quay.io": "quay",
    "registry-1.docker.io": "docker-hub",
    "ghcr.io": "github-container-registry",
    "registry.gitlab.com": "gitlab-container-registry",
    "cgr.dev": "chainguard",
}
_AZURE_HOST = re.compile(r"[a-z0-9-]+\.azurecr\.io")
# The API reference (CreatePullThroughCacheRule, upstreamRegistryUrl) gives the ECR upstream as
# <accountId>.dkr.ecr.<region>.amazonaws.com only: no `.amazonaws.com.cn` host. The user guide's pull
# through cache considerations list the China Regions (cn-north-1, cn-northwest-1) among those where
# pull through cache rules cannot be created at all, so no upstream there has a China host to accept.
_ECR_HOST = re.compile(r"(?P<account>[0-9]{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com")
_ROLE_ARN = re.compile(r"arn:aws[a-z0-9-]*:iam::(?P<account>[0-9]{12}):role/[A-Za-z0-9+=,.@_/-]+")
_SECRET_ARN = re.compile(r"arn:aws[a-z0-9-]*:secretsmanager:(?P<region>[a-z0-9-]+):(?P<account>[0-9]{12}):secret:.+")
NEEDS_SECRET = frozenset(
    {"docker-hub", "github-container-registry", "gitlab-container-registry", "azure-container-registry", "chainguard"}
)

CREATE_FIELDS = ("ecrRepositoryPrefix", "upstreamRegistryUrl", "createdAt", "registryId", "upstreamRegistry",
                 "credentialArn", "customRoleArn", "upstreamRepositoryPrefix")
UPDATE_FIELDS = ("ecrRepositoryPrefix", "registryId", "updatedAt", "credentialArn", "customRoleArn", "upstreamRepositoryPrefix")
DELETE_FIELDS = ("ecrRepositoryPrefix", "upstreamRegistryUrl", "createdAt", "registryId", "credentialArn", "customRoleArn",
                 "upstreamRepositoryPrefix")
DESCRIBE_FIELDS = CREATE_FIELDS + ("updatedAt",)
VALIDATE_FIELDS = ("ecrRepositoryPrefix", "registryId", "upstreamRegistryUrl", "credentialArn", "customRoleArn",
                   "upstreamRepositoryPrefix")


def create_rule(ctx, params):
    registry_id, registry = ctx.registry(params.get("registryId"))
    prefix, url = params["ecrRepositoryPrefix"], params["upstreamRegistryUrl"]
    upstream, upstream_account = upstream_of(url)
    given = params.get("upstreamRegistry")
    if given is not None and given != upstream:
        raise invalid_parameter("upstreamRegistry", f"Upstream registry {given} does not match the upstream registry URL {url}")
    credential, role = params.get("credentialArn"), params.get("customRoleArn") or None
    _check_access(upstream, upstream_account, registry_id, credential, role)
    upstream_prefix = _upstream_prefix(upstream, prefix, params.get("upstreamRepositoryPrefix"))
    if prefix in registry.pull_through_rules:
        raise EcrError(
            "PullThroughCacheRuleAlreadyExistsException",
            f"A pull through cache rule with the prefix '{prefix}' already exists in the registry with id '{registry_id}'",
        )
    created = now()
    rule = {
        "ecrRepositoryPrefix": prefix,
        "upstreamRegistryUrl": url,
        "createdAt": created,
        "registryId": registry_id,
        "upstreamRegistry": upstream,
        "credentialArn": credential,
        "customRoleArn": role,
        "upstreamRepositoryPrefix": upstream_prefix,
        "updatedAt": created,
    }
    registry.pull_through_rules[prefix] = rule
    return _pick(rule, CREATE_FIELDS)


def update_rule(ctx, params):
    """Change credentialArn and/or customRoleArn; what is left out stays (an empty role ARN removes the role)."""
    registry_id, registry = ctx.registry(params.get("registryId"))
    rule = _existing(registry_id, registry, params["ecrRepositoryPrefix"])
    credential = params.get("credentialArn", rule["credentialArn"])
    role = params.get("customRoleArn", rule["customRoleArn"]) or None
    upstream, upstream_account = upstream_of(rule["upstreamRegistryUrl"])
    _check_access(upstream, upstream_account, registry_id, credential, role)
    rule.update(credentialArn=credential, customRoleArn=role, updatedAt=now())
    return _pick(rule, UPDATE_FIELDS)


def delete_rule(ctx, params):
    registry_id, registry = ctx.registry(params.get("registryId"))
    rule = _existing(registry_id, registry, params["ecrRepositoryPrefix"])
    del registry.pull_through_rules[params["ecrRepositoryPrefix"]]
    return _pick(rule, DELETE_FIELDS)


def describe_rules(ctx, params):
    registry_id, registry = ctx.registry(params.get("registryId"))
    wanted = params.get("ecrRepositoryPrefixes")
    if wanted is None:
        rules = list(registry.pull_through_rules.values())
    else:
        # Unlike templates, naming a prefix that has no rule is an error.
        rules = [_existing(registry_id, registry, prefix) for prefix in dict.fromkeys(wanted)]
    chunk, next_token = paging.page(rules, lambda rule: rule["ecrRepositoryPrefix"], params, ctx.page_size)
    result = {"pullThroughCacheRules": [_pick(rule, DESCRIBE_FIELDS) for rule in chunk]}
    if next_token:
        result["nextToken"] = next_token
    return result


def validate_rule(ctx, params):
    """Valid unless the rule's secret is one ECR could not read: never registered with the
    endpoint (add_secret), or in another account or region than the rule."""
    registry_id, registry = ctx.registry(params.get("registryId"))
    rule = _existing(registry_id, registry, params["ecrRepositoryPrefix"])
    result = _pick(rule, VALIDATE_FIELDS)
    credential = rule["credentialArn"]
    if credential and not _secret_readable(ctx, registry_id, credential):
        result.update(
            isValid=False,
            failure=(
                f"Unable to access the secret {credential}. Verify that the secret exists in the same account and "
                "Region as the pull through cache rule and that its name begins with ecr-pullthroughcache/."
            ),
        )
    else:
        result["isValid"] = True
    return result


def upstream_of(url):
    """(upstream registry, upstream account or None) for an upstream registry URL."""
    if url in _HOSTS:
        return _HOSTS[url], None
    if _AZURE_HOST.fullmatch(url):
        return "azure-container-registry", None
    ecr = _ECR_HOST.fullmatch(url)
    if ecr:
        return "ecr", ecr.group("account")
    raise EcrError(
        "UnsupportedUpstreamRegistryException",
        f"The upstream registry URL {url} is not supported for pull through cache rules",
    )


def _check_access(upstream, upstream_account, registry_id, credential, role):
    """Secrets for upstreams that need them, roles for ECR upstreams only (required across accounts)."""
    if upstream in NEEDS_SECRET and not credential:
        raise invalid_parameter("credentialArn", f"A credential ARN is required for the upstream registry {upstream}")
    if upstream == "ecr":
        if credential:
            raise invalid_parameter("credentialArn", "A credential ARN is not supported for an ecr upstream registry")
        if upstream_account != registry_id and not role:
            raise invalid_parameter("customRoleArn", "A custom role ARN is required for an ecr upstream registry in another account")
    elif role:
        raise invalid_parameter("customRoleArn", f"A custom role ARN is not supported for the upstream registry {upstream}")
    if role:
        match = _ROLE_ARN.fullmatch(role)
        if not match:
            raise invalid_parameter("customRoleArn", f"Invalid IAM role ARN {role}")
        if match.group("account") != registry_id:
            raise invalid_parameter("customRoleArn", "The custom role must be in the same account as the registry")


def _upstream_prefix(upstream, prefix, upstream_prefix):
    """ECR upstreams default to ROOT (any upstream repository); others have no upstream prefix."""
    if upstream != "ecr":
        if upstream_prefix is not None:
            raise invalid_parameter("upstreamRepositoryPrefix", "An upstream repository prefix is only supported for an ecr upstream registry")
        return None
    if upstream_prefix is None:
        return "ROOT"
    if prefix == "ROOT" and upstream_prefix != "ROOT":
        raise invalid_parameter("upstreamRepositoryPrefix", "An upstream repository prefix can only be set when ecrRepositoryPrefix is not ROOT")
    return upstream_prefix


def _secret_readable(ctx, registry_id, arn):
    match = _SECRET_ARN.fullmatch(arn)
    return bool(match) and arn in ctx.store.secrets and (match.group("region"), match.group("account")) == (ctx.region, registry_id)


def _existing(registry_id, registry, prefix):
    if prefix not in registry.pull_through_rules:
        raise EcrError(
            "PullThroughCacheRuleNotFoundException",
            f"The pull through cache rule with the prefix '{prefix}' does not exist in the registry with id '{registry_id}'",
        )
    return registry.pull_through_rules[prefix]


def _pick(rule, names):
    return {name: rule[name] for name in names if rule.get(name) is not None}


HANDLERS = {
    "CreatePullThroughCacheRule": create_rule,
    "UpdatePullThroughCacheRule": update_rule,
    "DeletePullThroughCacheRule": delete_rule,
    "DescribePullThroughCacheRules": describe_rules,
    "ValidatePullThroughCacheRule": validate_rule,
}
