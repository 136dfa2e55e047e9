# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pull through cache rules: a repository prefix of this registry (or ROOT) mapped to an upstream
registry, one rule per prefix.

Only the credential (a Secrets Manager secret) and the custom role (an IAM role, for ECR
upstreams) change in place. Any other difference means deleting the rule and creating it again,
during which pulls through the prefix fail, so the module does that only with allow_recreate.
"""

import json
import re

from ansible_collections.ecrkit.registry.plugins.module_utils import ecr
from ansible_collections.ecrkit.registry.plugins.module_utils import field_table
from ansible_collections.ecrkit.registry.plugins.module_utils import service_model
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Action
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Plan
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Resource
from ansible_collections.ecrkit.registry.plugins.module_utils.verified_write import WriteFailed

RESULT_KEY = "pull_through_cache_rule"
ROOT = "ROOT"

# From the service model (CreatePullThroughCacheRule): ecrRepositoryPrefix and
# upstreamRepositoryPrefix share this pattern and length.
PREFIX_PATTERN = re.compile(r"^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)$")
PREFIX_MIN = service_model.limit("PullThroughCacheRuleRepositoryPrefix", "min", 2)
PREFIX_MAX = service_model.limit("PullThroughCacheRuleRepositoryPrefix", "max", 30)
# credentialArn: a Secrets Manager secret whose name starts with ecr-pullthroughcache/, 50-612 characters.
SECRET_ARN = re.compile(r"^arn:aws(-\w+)*:secretsmanager:(?P<region>[a-z0-9-]+):(?P<account>[0-9]{12}):secret:(?P<name>.+)$")
SECRET_NAME_PREFIX = "ecr-pullthroughcache/"
SECRET_NAME = re.compile(r"^ecr-pullthroughcache/[a-zA-Z0-9/_+=.@-]+$")
CREDENTIAL_MIN = service_model.limit("CredentialArn", "min", 50)
CREDENTIAL_MAX = service_model.limit("CredentialArn", "max", 612)
# customRoleArn: at most 2048 characters; the service wants an IAM role of the registry's account.
ROLE_ARN = re.compile(r"^arn:aws(-\w+)*:iam::(?P<account>[0-9]{12}):role/[\w+=,.@/-]+$")
ROLE_MAX = service_model.limit("CustomRoleArn", "max", 2048)

# The service derives the upstream registry from the URL's host (API reference, CreatePullThroughCacheRule).
UPSTREAM_HOSTS = {
    "public.ecr.aws": "ecr-public",
    "registry.k8s.io": "k8s",
    "quay.io": "quay",
    "registry-1.docker.io": "docker-hub",
    "ghcr.io": "github-container-registry",
    "registry.gitlab.com": "gitlab-container-registry",
    "cgr.dev": "chainguard",
}
AZURE_HOST = re.compile(r"^[a-z0-9-]+\.azurecr\.io$")
# CreatePullThroughCacheRule (API reference) names the ECR upstream <accountId>.dkr.ecr.<region>.amazonaws.com
# only: pull through cache is not offered in the China regions, so no .amazonaws.com.cn host is one.
ECR_HOST = re.compile(r"^(?P<account>[0-9]{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$")
# Hosts users reach for that the service does not take, and the one it wants instead.
HOST_HINTS = {"docker.io": "registry-1.docker.io", "index.docker.io": "registry-1.docker.io", "k8s.gcr.io": "registry.k8s.io"}
# The UpstreamRegistry enum of the service model.
UPSTREAM_REGISTRIES = [
    "ecr", "ecr-public", "quay", "k8s", "docker-hub", "github-container-registry",
    "azure-container-registry", "gitlab-container-registry", "chainguard",
]
# Upstreams that only serve pulls authenticated with a Secrets Manager secret (ECR user guide).
NEEDS_CREDENTIAL = frozenset(
    ["docker-hub", "github-container-registry", "gitlab-container-registry", "azure-container-registry", "chainguard"]
)

# First botocore releases whose ECR model knows these (read from the wheels' service-2.json).
# customRoleArn, upstreamRepositoryPrefix and the `ecr` upstream (whose rules carry those two
# fields; an older botocore drops them from responses) all came in 1.37.11, which also stopped
# UpdatePullThroughCacheRule from requiring credentialArn. Everything else this module uses
# (credentialArn, upstreamRegistry, Update/ValidatePullThroughCacheRule) is in 1.34.0, amazon.aws's
# minimum. `chainguard` joined the enum in 1.42.67, but botocore does not check enum values.
CUSTOM_ROLE_ARN_BOTOCORE = "1.37.11"
UPSTREAM_REPOSITORY_PREFIX_BOTOCORE = "1.37.11"
ECR_UPSTREAM_BOTOCORE = "1.37.11"

REGISTRY_ID_PATTERN = re.compile(r"^[0-9]{12}$")


# Validate: each option on its own, then what the given options say together. No API call.


def normalise_url(url):
    """The host the service wants: no scheme, no trailing slash, lowercase."""
    return re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", url.strip()).rstrip("/").lower()


def upstream_of(host):
    """(upstream registry, upstream account for ECR) for a registry host; (None, None) if unknown."""
    if host in UPSTREAM_HOSTS:
        return UPSTREAM_HOSTS[host], None
    if AZURE_HOST.match(host):
        return "azure-container-registry", None
    match = ECR_HOST.match(host)
    if match:
        return "ecr", match.group("account")
    return None, None


def check_prefix(option, value):
    if not (PREFIX_MIN <= len(value) <= PREFIX_MAX) or not PREFIX_PATTERN.match(value):
        raise ParameterError(
            f"{option}: {value!r} is not a valid repository prefix ({PREFIX_MIN}-{PREFIX_MAX} characters: lowercase letters "
            "and digits, separated by '.', '_', '__', '-' or '/', optionally ending in '/'; or ROOT)."
        )


def check_url(value):
    """The normalised URL; its host must be one pull through cache supports."""
    url = normalise_url(value)
    if "/" in url:
        raise ParameterError(f"upstream_registry_url: {value!r} has a path; give the registry host only, e.g. {url.split('/')[0]!r}.")
    if upstream_of(url)[0] is None:
        hint = f" Did you mean {HOST_HINTS[url]!r}?" if url in HOST_HINTS else ""
        raise ParameterError(
            f"upstream_registry_url: {value!r} is not an upstream registry that pull through cache supports. Use one of "
            f"{', '.join(sorted(UPSTREAM_HOSTS))}, <name>.azurecr.io or <account>.dkr.ecr.<region>.amazonaws.com.{hint}"
        )
    return url


def check_credential_arn(value):
    match = SECRET_ARN.match(value)
    if not match:
        raise ParameterError(
            f"credential_arn: {value!r} is not the ARN of a Secrets Manager secret "
            "(arn:aws:secretsmanager:<region>:<account>:secret:ecr-pullthroughcache/<name>)."
        )
    if not SECRET_NAME.match(match.group("name")):
        raise ParameterError(
            f"credential_arn: the secret name {match.group('name')!r} must start with {SECRET_NAME_PREFIX!r} "
            "(followed by letters, digits and / _ + = . @ -): ECR reads only secrets named so."
        )
    if not CREDENTIAL_MIN <= len(value) <= CREDENTIAL_MAX:
        raise ParameterError(f"credential_arn: {value!r} is {len(value)} characters long; the API takes {CREDENTIAL_MIN}-{CREDENTIAL_MAX}.")


def check_role_arn(value):
    if len(value) > ROLE_MAX or not ROLE_ARN.match(value):
        raise ParameterError(f"custom_role_arn: {value!r} is not the ARN of an IAM role (arn:aws:iam::<account>:role/<name>).")


def check_rule(rule):
    """What the settings of a rule say together. `rule` may be partial (only what the user gave):
    a missing key is not known yet and not checked; None means none (or cleared)."""
    url, upstream = rule.get("upstream_registry_url"), rule.get("upstream_registry")
    derived = upstream_of(url)[0] if url else None
    if derived and upstream and upstream != derived:
        raise ParameterError(f"upstream_registry: {upstream!r} does not match upstream_registry_url {url!r}, a {derived!r} registry.")
    upstream = upstream or derived
    if upstream is None:
        return
    if "credential_arn" in rule:
        if upstream in NEEDS_CREDENTIAL and not rule["credential_arn"]:
            raise ParameterError(
                f"credential_arn: the upstream registry {upstream!r} needs one, and the rule would have none: give the ARN of "
                f"a Secrets Manager secret named {SECRET_NAME_PREFIX}<name> that holds the upstream's user name and access token."
            )
        if upstream == "ecr" and rule["credential_arn"]:
            raise ParameterError(
                f"credential_arn: {rule['credential_arn']!r} cannot be used with an Amazon ECR upstream registry, which ECR reaches "
                "with an IAM role (custom_role_arn), not a secret."
            )
    if rule.get("custom_role_arn") and upstream != "ecr":
        raise ParameterError(
            f"custom_role_arn: {rule['custom_role_arn']!r} is only used with an Amazon ECR upstream registry, not {upstream!r}."
        )
    upstream_prefix = rule.get("upstream_repository_prefix")
    if upstream_prefix is not None and upstream != "ecr":
        raise ParameterError(
            f"upstream_repository_prefix: {upstream_prefix!r} is only used with an Amazon ECR upstream registry, not {upstream!r}."
        )
    if upstream_prefix not in (None, ROOT) and rule.get("ecr_repository_prefix") == ROOT:
        raise ParameterError(
            f"upstream_repository_prefix: {upstream_prefix!r} cannot be used with ecr_repository_prefix ROOT, which caches "
            "every upstream repository (its upstream prefix is always ROOT)."
        )


def validate_item(params):
    """(prefix, given, registry_id): `given` holds only the settings the user gave; an omitted
    option keeps what the rule has, "" clears it."""
    prefix = params["ecr_repository_prefix"]
    check_prefix("ecr_repository_prefix", prefix)
    registry_id = params.get("registry_id")
    if registry_id is not None and not REGISTRY_ID_PATTERN.match(registry_id):
        raise ParameterError(f"registry_id: {registry_id!r} is not an account ID (12 digits).")
    given = {option: FIELDS[option].check(option, params[option]) for option in SETTINGS if params.get(option) is not None}
    if "upstream_registry_url" in given and "upstream_registry" not in given:
        given["upstream_registry"] = upstream_of(given["upstream_registry_url"])[0]
    check_rule(dict(given, ecr_repository_prefix=prefix))
    return prefix, given, registry_id


def validate(params):
    if params["state"] == "absent":
        check_prefix("ecr_repository_prefix", params["ecr_repository_prefix"])
        return {"ecr_repository_prefix": params["ecr_repository_prefix"], "state": "absent"}  # the other options are not used to delete
    prefix, given, registry_id = validate_item(params)
    return {
        "ecr_repository_prefix": prefix,
        "state": "present",
        "given": given,
        "registry_id": registry_id,
        "allow_recreate": params["allow_recreate"],
        "validate": params["validate"],
    }


# The table: one row per option. The settings (all but the prefix and the registry) compare in this
# order; only the credential and the role change in place (and a credential cannot be removed).


def _needs_ecr_upstream(upstream):
    return [(ECR_UPSTREAM_BOTOCORE, "for an Amazon ECR upstream registry")] if upstream == "ecr" else []


def _optional(check):
    """A check for an option that "" clears: the value checked, or None."""
    def checked(option, value):
        if value:
            check(value)
        return value or None

    return checked


TABLE = [
    field_table.field("ecr_repository_prefix", "ecrRepositoryPrefix", dict(type="str", required=True), in_place=False),
    field_table.field(
        "upstream_registry_url", "upstreamRegistryUrl", dict(type="str"), check=lambda option, value: check_url(value), in_place=False,
        botocore=lambda url: _needs_ecr_upstream(upstream_of(normalise_url(url))[0]),
    ),
    field_table.field("upstream_registry", "upstreamRegistry", dict(type="str", choices=UPSTREAM_REGISTRIES), in_place=False,
                      botocore=_needs_ecr_upstream),
    field_table.field("upstream_repository_prefix", "upstreamRepositoryPrefix", dict(type="str"), in_place=False,
                      check=lambda option, value: check_prefix(option, value) or value, botocore=UPSTREAM_REPOSITORY_PREFIX_BOTOCORE),
    field_table.field("credential_arn", "credentialArn", dict(type="str"), check=_optional(check_credential_arn)),
    field_table.field("custom_role_arn", "customRoleArn", dict(type="str"), check=_optional(check_role_arn), botocore=CUSTOM_ROLE_ARN_BOTOCORE),
    field_table.field("registry_id", "registryId", dict(type="str"), in_place=False),
]
FIELDS = {field.option: field for field in TABLE}
# The result shape, and the API name of each field.
API_NAMES = {field.option: field.api for field in TABLE}
# What the user sets; compared in this order.
SETTINGS = tuple(option for option in FIELDS if option not in ("ecr_repository_prefix", "registry_id"))
IN_PLACE = field_table.in_place(TABLE)
# One rule's options: the argument spec of ecr_pull_through_rule (with state, allow_recreate and
# validate) and of the items of ecr_registry's config.pull_through_rules.
RULE_SPEC = field_table.argument_spec(TABLE)


def botocore_requirements(params):
    """(version, reason) for each newer API feature the task uses; the module checks them first."""
    if params.get("state") != "present":
        return []
    return field_table.botocore_requirements(TABLE, params)


# Read


def read(client, request):
    """{rule, account}: the rule in the result shape (or None) and the registry's account, when
    known. A new rule with an ECR upstream or a credential needs the account (is the upstream, or
    the secret, in another account?), which only DescribeRegistry tells when there is no rule yet."""
    api_rule = ecr.describe_pull_through_cache_rule(client, request["ecr_repository_prefix"])
    rule = rule_from_api(api_rule) if api_rule else None
    account = rule["registry_id"] if rule else None
    if rule is None and needs_account(request.get("given", {}), request.get("registry_id")):
        account = ecr.describe_registry(client)["registryId"]
    return {"rule": rule, "account": account}


def needs_account(given, registry_id):
    """Whether creating this rule needs the registry's account: an ECR upstream (is it another
    account?), a credential (is the secret in the registry's account?) or a registry_id to check."""
    return registry_id is not None or (
        "upstream_registry_url" in given and (given["upstream_registry"] == "ecr" or bool(given.get("credential_arn")))
    )


# Canonical form: the result shape (snake_case), with every field present.


def rule_from_api(api):
    """A rule, or the fields of a create/update response, in the result shape. The URL is
    normalised, and what the service leaves implicit is filled in: the upstream registry (rules
    created before the field existed) and an ECR upstream's ROOT upstream prefix."""
    rule = {field: api.get(name) for field, name in API_NAMES.items()}
    if rule["upstream_registry_url"]:
        rule["upstream_registry_url"] = normalise_url(rule["upstream_registry_url"])
        rule["upstream_registry"] = rule["upstream_registry"] or upstream_of(rule["upstream_registry_url"])[0]
    if rule["upstream_registry"] == "ecr" and not rule["upstream_repository_prefix"]:
        rule["upstream_repository_prefix"] = ROOT
    return rule


def rule_to_create(rule):
    """CreatePullThroughCacheRule's arguments. A ROOT upstream prefix is the service's default: left
    out, so that botocore releases without the field can create ECR-upstream rules too."""
    arguments = {API_NAMES[field]: rule[field] for field in ("ecr_repository_prefix", "upstream_registry_url", "upstream_registry")}
    for field in ("credential_arn", "custom_role_arn"):
        if rule[field]:
            arguments[API_NAMES[field]] = rule[field]
    if rule["upstream_repository_prefix"] not in (None, ROOT):
        arguments["upstreamRepositoryPrefix"] = rule["upstream_repository_prefix"]
    return arguments


def merge_response(known, response):
    """The rule after a write: what the response says, over what we sent (Update's response lacks
    the URL and the upstream registry)."""
    said = {field: value for field, value in rule_from_api(response).items() if value is not None}
    return dict(known, **said)


def desired_rule(prefix, given, current, account):
    """The rule the user wants: the current rule with the given options laid over it."""
    rule = dict(current) if current else {field: None for field in API_NAMES}
    rule.update(given, ecr_repository_prefix=prefix, registry_id=rule["registry_id"] or account)
    # Kept settings that the (new) upstream does not take: they go with the old upstream.
    not_taken = ("custom_role_arn", "upstream_repository_prefix") if rule["upstream_registry"] != "ecr" else ("credential_arn",)
    for field in not_taken:
        if field not in given:
            rule[field] = None
    if rule["upstream_registry"] == "ecr" and rule["upstream_repository_prefix"] is None:
        rule["upstream_repository_prefix"] = ROOT
    return rule


# Compare


def differences(current, desired):
    """[(field, before, after)] for each setting that differs."""
    return [(field, current[field], desired[field]) for field in SETTINGS if current[field] != desired[field]]


def needs_recreate(field, after):
    """Only the credential and the role change in place, and a credential cannot be removed."""
    return field not in IN_PLACE or (field == "credential_arn" and not after)


def describe_change(field, before, after):
    return f"{field}: {before!r} -> {after!r}"


# Plan


def check_account(rule, given, account, region):
    """Rules that need the registry's account or region (known after the read): a cross-account ECR
    upstream needs a role, roles and secrets live in the registry's account and region."""
    upstream_account = upstream_of(rule["upstream_registry_url"])[1]
    if account and upstream_account and upstream_account != account and not rule["custom_role_arn"]:
        raise ParameterError(
            f"custom_role_arn: required, because upstream_registry_url {rule['upstream_registry_url']!r} is in account "
            f"{upstream_account}, not this registry's account {account}: ECR assumes this role to pull across accounts."
        )
    role = ROLE_ARN.match(rule["custom_role_arn"] or "")
    if account and role and role.group("account") != account:
        raise ParameterError(
            f"custom_role_arn: {rule['custom_role_arn']!r} is in account {role.group('account')}; the role must be in the "
            f"registry's account {account}."
        )
    secret = SECRET_ARN.match(given.get("credential_arn") or "")
    if secret and region and secret.group("region") != region:
        raise ParameterError(
            f"credential_arn: {given['credential_arn']!r} is in region {secret.group('region')}; the secret must be in the "
            f"rule's region {region}."
        )
    if secret and account and secret.group("account") != account:
        raise ParameterError(
            f"credential_arn: {given['credential_arn']!r} is in account {secret.group('account')}; the secret must be in the "
            f"registry's account {account}."
        )


def check_registry_id(registry_id, account):
    """registry_id is accepted (results carry it) but names no other registry than the caller's."""
    if registry_id is not None and account is not None and registry_id != account:
        raise ParameterError(
            f"registry_id: {registry_id!r} is not this registry ({account}); a rule is managed in the registry of the "
            "calling account, so registry_id can only name that one (or be left out)."
        )


def desired_item(prefix, given, current, account, region, replace=False):
    """The rule the user wants, checked against the registry: the given settings over the current
    rule, or over nothing when there is no rule or when `replace` (the rule is taken whole)."""
    base = None if replace else current
    if base is None and "upstream_registry_url" not in given:
        why = "which does not exist" if current is None else "which is replaced whole"
        raise ParameterError(f"upstream_registry_url: required to create the pull through cache rule {prefix!r}, {why}.")
    desired = desired_rule(prefix, given, base, account or (current or {}).get("registry_id"))
    check_rule(desired)
    check_account(desired, given, account, region)
    return desired


def plan_rule(current, desired):
    """The write that makes the rule `desired`: a create, an in-place update, or a delete and create
    (extra: recreated, recreate_reasons); whether a recreate is allowed is the caller's decision."""
    prefix = desired["ecr_repository_prefix"]
    extra = {"recreated": False, "recreate_reasons": []}
    if current is None:
        return Plan(None, desired, [Action(f"create the pull through cache rule {prefix!r}", create_action(desired))], extra=extra)
    changes = differences(current, desired)
    if not changes:
        return Plan(current, current, extra=extra)
    reasons = [describe_change(*change) for change in changes if needs_recreate(change[0], change[2])]
    if not reasons:
        fields = [field for field, _before, _after in changes]
        actions = [Action(f"update {' and '.join(fields)} of the pull through cache rule {prefix!r}", update_action(desired, fields))]
        return Plan(current, desired, actions, extra=extra)
    actions = [Action(f"delete the pull through cache rule {prefix!r} and create it again", recreate_action(current, desired))]
    return Plan(current, desired, actions, extra={"recreated": True, "recreate_reasons": reasons})


def refuse_recreate(prefix, reasons):
    return ParameterError(
        f"pull through cache rule {prefix!r} cannot change in place ({'; '.join(reasons)}): only credential_arn and "
        "custom_role_arn can. The rule must be deleted and created again, and pulls through its prefix fail in between; "
        "set allow_recreate: true to do that."
    )


def plan_delete(prefix, current):
    if current is None:
        return Plan(None, None, extra={"recreated": False, "recreate_reasons": []})
    actions = [Action(f"delete the pull through cache rule {prefix!r}", delete_action(prefix))]
    return Plan(current, None, actions, extra={"recreated": False, "recreate_reasons": []})


def plan(request, current, context):
    rule, prefix = current["rule"], request["ecr_repository_prefix"]
    if request["state"] == "absent":
        return plan_delete(prefix, rule)
    check_registry_id(request["registry_id"], current["account"])
    desired = desired_item(prefix, request["given"], rule, current["account"], context.get("region"))
    planned = plan_rule(rule, desired)
    if planned.extra["recreated"] and not request["allow_recreate"]:
        raise refuse_recreate(prefix, planned.extra["recreate_reasons"])
    return planned


def create_action(desired):
    def create(client):
        return merge_response(desired, ecr.create_pull_through_cache_rule(client, rule_to_create(desired)))

    return create


def update_action(desired, fields):
    # An empty customRoleArn removes the role; a credential is never removed in place.
    arguments = {API_NAMES[field]: desired[field] or "" for field in fields}

    def update(client):
        response = ecr.update_pull_through_cache_rule(client, dict(arguments, ecrRepositoryPrefix=desired["ecr_repository_prefix"]))
        return merge_response(desired, response)

    return update


def recreate_action(current, desired):
    """Delete, then create. Should the create fail, the rule is read back (a lost response means it
    is there) and, if absent, the previous rule is created again, so a failed task does not leave
    the prefix without a rule; the failure says what the prefix holds now, and if the restore failed
    too, gives the previous rule and the task that creates it again."""
    prefix = desired["ecr_repository_prefix"]

    def recreate(client):
        ecr.delete_pull_through_cache_rule(client, prefix)
        try:
            return merge_response(desired, ecr.create_pull_through_cache_rule(client, rule_to_create(desired)))
        except ecr.AnsibleEcrError as failed:
            now = rule_now(client, prefix)
            if now is not None and not differences(now, desired):
                return now  # the create did land: only its response was lost
            lost = None
            if now is None:
                try:
                    now = merge_response(current, ecr.create_pull_through_cache_rule(client, rule_to_create(current)))
                except ecr.AnsibleEcrError as e:
                    lost, now = e, rule_now(client, prefix)
            if now is not None and not differences(now, current):
                message = f"{failed}; the previous rule {prefix!r} was restored"
                raise WriteFailed(message, now, result={"before": current}) from failed
            task = restore_task(current)
            message = (
                f"{failed}; the previous rule {prefix!r} was deleted and could not be restored "
                f"({lost or 'the prefix now holds another rule'}). Create it again with this task:\n{task_yaml(task)}"
            )
            raise WriteFailed(message, now, result={"before": current, "restore_task": task}) from failed

    return recreate


def rule_now(client, prefix):
    """The rule the prefix holds, or None (also when it cannot be read: then it is not known to be there)."""
    try:
        api_rule = ecr.describe_pull_through_cache_rule(client, prefix)
    except ecr.AnsibleEcrError:
        return None
    return rule_from_api(api_rule) if api_rule else None


def restore_task(rule):
    """This module's arguments that create `rule` again."""
    arguments = {"ecr_repository_prefix": rule["ecr_repository_prefix"]}
    arguments.update({field: rule[field] for field in SETTINGS if rule[field] is not None})
    return {"name": f"Restore the pull through cache rule {rule['ecr_repository_prefix']}", "ecrkit.registry.ecr_pull_through_rule": arguments}


def task_yaml(task):
    """`task` as YAML, by hand (modules cannot count on PyYAML); JSON strings are YAML strings."""
    module = "ecrkit.registry.ecr_pull_through_rule"
    lines = [f"- name: {json.dumps(task['name'])}", f"  {module}:"]
    return "\n".join(lines + [f"    {key}: {json.dumps(value)}" for key, value in task[module].items()])


def delete_action(prefix):
    def delete(client):
        ecr.delete_pull_through_cache_rule(client, prefix)
        return None

    return delete


# Finish: validation, read-only, after the writes


def finish(client, request, plan, after, check_mode):
    """Ask the service whether the rule works (can ECR read the secret, assume the role?)."""
    if request["state"] != "present" or not request["validate"]:
        return {"validation": None}, None
    prefix = request["ecr_repository_prefix"]
    if check_mode and plan.changed:
        # The service validates the rule it holds, not the one this task would write.
        plan.warnings.append(
            f"validate: the pull through cache rule {prefix!r} was not validated: in check mode the rule is not yet as this "
            "task would make it. Run without --check to validate it."
        )
        return {"validation": None}, None
    response = ecr.validate_pull_through_cache_rule(client, prefix)
    validation = {"is_valid": response["isValid"], "failure": response.get("failure") or None}
    if validation["is_valid"]:
        return {"validation": validation}, None
    reason = validation["failure"] or "the service gave no reason"
    return {"validation": validation}, f"pull through cache rule {prefix!r} is not valid: {reason}"


RESOURCE = Resource(RESULT_KEY, validate, read, plan, finish, botocore_requirements)
