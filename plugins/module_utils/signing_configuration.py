# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The registry's signing configuration: rules that sign pushed images with an AWS Signer profile.

A singleton per account and region, put whole or deleted. A rule is its signing profile and its
repository filters (no filter: every repository); rules compare as a set and filters as sets, so a
rule is identified by all it has, as a replication rule is. No configuration reads as no rules.
"""

from ansible_collections.ecrkit.registry.plugins.module_utils import ecr
from ansible_collections.ecrkit.registry.plugins.module_utils import field_table
from ansible_collections.ecrkit.registry.plugins.module_utils import validators
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Action
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Plan
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Resource

RESULT_KEY = "signing_configuration"
# The first botocore whose ECR model has Get/Put/DeleteSigningConfiguration.
SIGNING_BOTOCORE = "1.41.2"


def check_profile(where, value):
    return validators.check_arn(where, value, "signer", ("/signing-profiles/",), "the ARN of an AWS Signer signing profile")


RULE_TABLE = [
    field_table.string(
        "signing_profile_arn", "signingProfileArn", "SigningProfileArn",
        "the ARN of an AWS Signer signing profile (arn:aws:signer:REGION:ACCOUNT:/signing-profiles/NAME)", check=check_profile, required=True,
    ),
    # A rule with no filter signs every repository, and is sent without filters (the API takes 1-100).
    field_table.wildcard_filters(
        "repository_filters", "repositoryFilters", "WILDCARD_MATCH", "SigningRepositoryFilterValue", "SigningRepositoryFilterList", omit_empty=True
    ),
]
TABLE = [field_table.item_list("rules", "rules", RULE_TABLE, "SigningRuleList", "rules")]
ARGUMENT_SPEC = field_table.argument_spec(TABLE)
EMPTY = {"rules": []}


def to_api(configuration):
    return field_table.to_api(TABLE, configuration)


def validate(params):
    if params["state"] == "absent":
        if params.get("rules"):
            raise ParameterError("rules: state=absent deletes the whole signing configuration; it takes no rules.")
        return {"configuration": dict(EMPTY)}
    return {"configuration": field_table.check(TABLE, "", params)}


def read_configuration(client):
    """(configuration, registry ID or None); no configuration reads as no rules."""
    response = ecr.get_signing_configuration(client)
    if response is None:
        return dict(EMPTY), None
    return field_table.from_api(TABLE, response["signingConfiguration"]), response["registryId"]


def read(client, request):
    configuration, registry_id = read_configuration(client)
    return {"registry_id": registry_id, "configuration": configuration}


def describe_rule(rule):
    profile = rule["signing_profile_arn"].rsplit("/", 1)[-1]
    return f"{profile} for {' '.join(rule['repository_filters']) or 'every repository'}"


def write_actions(current, desired):
    """None, a put of the whole configuration, or its delete (no rule left)."""
    if field_table.same(TABLE, current, desired):
        return []
    if not desired["rules"]:

        def delete(client):
            ecr.delete_signing_configuration(client)
            return dict(EMPTY)

        return [Action("delete the signing configuration", delete)]

    def put(client):
        return field_table.from_api(TABLE, ecr.put_signing_configuration(client, to_api(desired)))

    return [Action(f"put the signing configuration: {'; '.join(describe_rule(rule) for rule in desired['rules'])}", put)]


def plan(request, current, context):
    before = current["configuration"]
    actions = write_actions(before, request["configuration"])
    return Plan(before, request["configuration"] if actions else before, actions, extra={"registry_id": current["registry_id"]})


def botocore_requirements(params):
    return [(SIGNING_BOTOCORE, "to manage the signing configuration")]


RESOURCE = Resource(RESULT_KEY, validate, read, plan, botocore_requirements=botocore_requirements)


# ecr_registry's `signing` section: rules are items identified by all they have.


def merge(current, declared, state):
    def declared_has(rule):
        return any(field_table.same(RULE_TABLE, rule, given) for given in declared["rules"])

    if state == "overridden":
        return {"rules": declared["rules"]}
    if state == "deleted":
        return {"rules": [rule for rule in current["rules"] if not declared_has(rule)]}
    kept = [rule for rule in current["rules"] if not declared_has(rule)]
    return {"rules": kept + declared["rules"]}


def verify(declared):
    """For merged and replaced: the declared rules are in a fresh read."""
    def missing(current):
        gone = [describe_rule(rule) for rule in declared["rules"] if not any(field_table.same(RULE_TABLE, rule, there) for there in current["rules"])]
        return f"signing rules [{'; '.join(gone)}] are missing" if gone else None

    return missing
