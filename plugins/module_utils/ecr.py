# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The client layer: every boto3 call of the collection, and amazon.aws's module, error, retry
and policy helpers, live here (validators.py takes amazon.aws's ARN parser on its own).

One wrapper per API call. Each retries throttling and 5xx with jittered backoff and turns AWS errors
into AnsibleEcrError (which the runner reports through fail_json_aws); reads turn "not found" into
None, deletes turn it into False (already gone: the task's aim). Retrying a write is safe: puts,
updates and deletes are idempotent, and a create whose first attempt did land (its response was
lost) fails its retry with "already exists", which the runner resolves by reading again.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import is_ansible_aws_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

COLLECTION_NAME = "ecrkit.registry"
COLLECTION_VERSION = "0.1.0"

# The error codes ECR uses for "there is nothing there".
NOT_FOUND_CODES = [
    "RegistryPolicyNotFoundException",
    "SigningConfigurationNotFoundException",
    "ExclusionNotFoundException",
    "TemplateNotFoundException",
    "PullThroughCacheRuleNotFoundException",
]
# The error codes of a create that found the item there already.
ALREADY_EXISTS_CODES = [
    "TemplateAlreadyExistsException",
    "ExclusionAlreadyExistsException",
    "PullThroughCacheRuleAlreadyExistsException",
]

# AWSRetry's default list lacks the codes ECR's JSON protocol uses for throttling and for a 5xx
# (ServerException, HTTP 500): a persistent 5xx gets the same budget as throttling.
retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException", "ServerException"])


class AnsibleEcrError(AnsibleAWSError):
    pass


class EcrErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleEcrError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(NOT_FOUND_CODES)


class EcrkitModule(AnsibleAWSModule):
    """AnsibleAWSModule that names this collection in the AWS user agent."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)


def already_exists():
    """For `except`: an AnsibleEcrError from a create that found the item there."""
    return is_ansible_aws_error_code(ALREADY_EXISTS_CODES)


def ecr_client(module):
    return module.client("ecr")


def policies_differ(current, desired):
    """True when two policy documents differ in meaning: statement and action order, a one-item
    list against a string and the service's re-formatting are not differences."""
    return compare_policies(current, desired)


# Registry: DescribeRegistry and the replication configuration


@EcrErrorHandler.common_error_handler("describe the registry")
@retry
def describe_registry(client):
    response = client.describe_registry()
    return {
        "registryId": response["registryId"],
        "replicationConfiguration": response.get("replicationConfiguration") or {"rules": []},
    }


@EcrErrorHandler.common_error_handler("put the replication configuration")
@retry
def put_replication_configuration(client, rules):
    response = client.put_replication_configuration(replicationConfiguration={"rules": rules})
    return response["replicationConfiguration"]


# Registry permissions policy


@EcrErrorHandler.list_error_handler("get the registry policy")
@retry
def get_registry_policy(client):
    """{registryId, policyText}, or None when the registry has no policy."""
    response = client.get_registry_policy()
    return {"registryId": response["registryId"], "policyText": response["policyText"]}


@EcrErrorHandler.common_error_handler("put the registry policy")
@retry
def put_registry_policy(client, policy_text):
    response = client.put_registry_policy(policyText=policy_text)
    return {"registryId": response["registryId"], "policyText": response["policyText"]}


@EcrErrorHandler.deletion_error_handler("delete the registry policy")
@retry
def delete_registry_policy(client):
    client.delete_registry_policy()
    return True


# Repository creation templates


@EcrErrorHandler.list_error_handler("describe the repository creation template")
@retry
def describe_repository_creation_template(client, prefix):
    """The template for one prefix, or None. Follows nextToken although one prefix gives one page."""
    paginator = client.get_paginator("describe_repository_creation_templates")
    result = paginator.paginate(prefixes=[prefix]).build_full_result()
    templates = [t for t in result.get("repositoryCreationTemplates", []) if t["prefix"] == prefix]
    return templates[0] if templates else None


@EcrErrorHandler.common_error_handler("describe the repository creation templates")
@retry
def describe_repository_creation_templates(client):
    """{registryId, templates}: every template of the registry, all pages."""
    paginator = client.get_paginator("describe_repository_creation_templates")
    result = paginator.paginate().build_full_result()
    return {"registryId": result.get("registryId"), "templates": result.get("repositoryCreationTemplates", [])}


@EcrErrorHandler.common_error_handler("create the repository creation template")
@retry
def create_repository_creation_template(client, template):
    return client.create_repository_creation_template(**template)["repositoryCreationTemplate"]


@EcrErrorHandler.common_error_handler("update the repository creation template")
@retry
def update_repository_creation_template(client, template):
    return client.update_repository_creation_template(**template)["repositoryCreationTemplate"]


@EcrErrorHandler.deletion_error_handler("delete the repository creation template")
@retry
def delete_repository_creation_template(client, prefix):
    client.delete_repository_creation_template(prefix=prefix)
    return True


# Pull through cache rules


@EcrErrorHandler.list_error_handler("describe the pull through cache rule")
@retry
def describe_pull_through_cache_rule(client, prefix):
    """The rule for one prefix, or None (the service raises PullThroughCacheRuleNotFoundException)."""
    paginator = client.get_paginator("describe_pull_through_cache_rules")
    result = paginator.paginate(ecrRepositoryPrefixes=[prefix]).build_full_result()
    rules = [r for r in result.get("pullThroughCacheRules", []) if r["ecrRepositoryPrefix"] == prefix]
    return rules[0] if rules else None


@EcrErrorHandler.common_error_handler("describe the pull through cache rules")
@retry
def describe_pull_through_cache_rules(client):
    """Every pull through cache rule of the registry, all pages."""
    paginator = client.get_paginator("describe_pull_through_cache_rules")
    return paginator.paginate().build_full_result().get("pullThroughCacheRules", [])


@EcrErrorHandler.common_error_handler("create the pull through cache rule")
@retry
def create_pull_through_cache_rule(client, rule):
    response = client.create_pull_through_cache_rule(**rule)
    response.pop("ResponseMetadata", None)
    return response


@EcrErrorHandler.common_error_handler("update the pull through cache rule")
@retry
def update_pull_through_cache_rule(client, rule):
    response = client.update_pull_through_cache_rule(**rule)
    response.pop("ResponseMetadata", None)
    return response


@EcrErrorHandler.deletion_error_handler("delete the pull through cache rule")
@retry
def delete_pull_through_cache_rule(client, prefix):
    client.delete_pull_through_cache_rule(ecrRepositoryPrefix=prefix)
    return True


@EcrErrorHandler.common_error_handler("validate the pull through cache rule")
@retry
def validate_pull_through_cache_rule(client, prefix):
    response = client.validate_pull_through_cache_rule(ecrRepositoryPrefix=prefix)
    response.pop("ResponseMetadata", None)
    return response


# Registry scanning configuration


@EcrErrorHandler.common_error_handler("get the registry scanning configuration")
@retry
def get_registry_scanning_configuration(client):
    """{registryId, scanningConfiguration}; a registry never configured reports BASIC with no rules."""
    response = client.get_registry_scanning_configuration()
    return {"registryId": response["registryId"], "scanningConfiguration": response.get("scanningConfiguration") or {}}


@EcrErrorHandler.common_error_handler("put the registry scanning configuration")
@retry
def put_registry_scanning_configuration(client, configuration):
    return client.put_registry_scanning_configuration(**configuration).get("registryScanningConfiguration") or {}


# Account settings


@EcrErrorHandler.common_error_handler("get the account setting")
@retry
def get_account_setting(client, name):
    """The setting's value; None when the installed botocore predates account settings (then the
    service alone decides what a policy may name)."""
    if not hasattr(client, "get_account_setting"):
        return None
    return client.get_account_setting(name=name).get("value")


@EcrErrorHandler.common_error_handler("put the account setting")
@retry
def put_account_setting(client, name, value):
    return client.put_account_setting(name=name, value=value).get("value")


# Signing configuration


@EcrErrorHandler.list_error_handler("get the signing configuration")
@retry
def get_signing_configuration(client):
    """{registryId, signingConfiguration}, or None when the registry has none."""
    response = client.get_signing_configuration()
    return {"registryId": response.get("registryId"), "signingConfiguration": response.get("signingConfiguration") or {"rules": []}}


@EcrErrorHandler.common_error_handler("put the signing configuration")
@retry
def put_signing_configuration(client, configuration):
    return client.put_signing_configuration(signingConfiguration=configuration).get("signingConfiguration") or {"rules": []}


@EcrErrorHandler.deletion_error_handler("delete the signing configuration")
@retry
def delete_signing_configuration(client):
    client.delete_signing_configuration()
    return True


# Pull time update exclusions


@EcrErrorHandler.common_error_handler("list the pull time update exclusions")
@retry
def list_pull_time_update_exclusions(client):
    """Every excluded principal ARN, all pages (botocore has no paginator for this call)."""
    arns, token = [], None
    while True:
        response = client.list_pull_time_update_exclusions(**({"nextToken": token} if token else {}))
        arns += response.get("pullTimeUpdateExclusions") or []
        token = response.get("nextToken")
        if not token:
            return arns


@EcrErrorHandler.common_error_handler("register the pull time update exclusion")
@retry
def register_pull_time_update_exclusion(client, principal_arn):
    client.register_pull_time_update_exclusion(principalArn=principal_arn)
    return True


@EcrErrorHandler.deletion_error_handler("deregister the pull time update exclusion")
@retry
def deregister_pull_time_update_exclusion(client, principal_arn):
    client.deregister_pull_time_update_exclusion(principalArn=principal_arn)
    return True


# Replication backfill

# StartReplicationBackfill's answer when a backfill to the destination Region is already in progress
# (the service runs one per destination Region), and StopReplicationBackfill's when the backfill is
# no longer PREPARING or IN_PROGRESS: after a retried call whose first response was lost, both mean
# the first attempt landed.
BACKFILL_IN_PROGRESS_CODES = ["ReplicationBackfillInProgressException"]
BACKFILL_INVALID_STATUS_CODES = ["ReplicationBackfillInvalidStatusException"]


def backfill_in_progress():
    """For `except`: an AnsibleEcrError from a start that found a backfill to that Region running."""
    return is_ansible_aws_error_code(BACKFILL_IN_PROGRESS_CODES)


def backfill_invalid_status():
    """For `except`: an AnsibleEcrError from a stop of a backfill that is no longer stoppable."""
    return is_ansible_aws_error_code(BACKFILL_INVALID_STATUS_CODES)


@EcrErrorHandler.common_error_handler("list the replication backfills")
@retry
def list_replication_backfills(client):
    """{registryId, backfills}: every backfill the registry lists (ended ones for 90 days), all pages.
    The paginator does not keep registryId (not a non-aggregate key in its model), so pages are read
    here."""
    registry_id, backfills = None, []
    for page in client.get_paginator("list_replication_backfills").paginate():
        registry_id = registry_id or page.get("registryId")
        backfills.extend(page.get("backfills", []))
    return {"registryId": registry_id, "backfills": backfills}


@EcrErrorHandler.common_error_handler("start the replication backfill")
@retry
def start_replication_backfill(client, destination):
    """{replicationBackfillId, registryId, destination, status, startedAt} of the new backfill."""
    response = client.start_replication_backfill(destination=destination)
    response.pop("ResponseMetadata", None)
    return response


@EcrErrorHandler.common_error_handler("stop the replication backfill")
@retry
def stop_replication_backfill(client, backfill_id):
    """{replicationBackfillId, registryId, destination, status, startedAt}: STOPPED, or STOPPING while
    replications under way finish."""
    response = client.stop_replication_backfill(replicationBackfillId=backfill_id)
    response.pop("ResponseMetadata", None)
    return response


@EcrErrorHandler.common_error_handler("describe the replication backfill")
@retry
def describe_replication_backfill(client, backfill_id):
    """One backfill's status and progress: the first page of DescribeReplicationBackfillResults, asked
    for failed results only (the results are not used; see describe_replication_backfill_failures)."""
    response = client.describe_replication_backfill_results(replicationBackfillId=backfill_id, resultStatusFilter="FAILED")
    response.pop("ResponseMetadata", None)
    return response


@EcrErrorHandler.common_error_handler("describe the failed replications of the replication backfill")
@retry
def describe_replication_backfill_failures(client, backfill_id):
    """The per-image results with status FAILED, all pages (there are results once the backfill ended)."""
    paginator = client.get_paginator("describe_replication_backfill_results")
    result = paginator.paginate(replicationBackfillId=backfill_id, resultStatusFilter="FAILED").build_full_result()
    return result.get("results", [])
