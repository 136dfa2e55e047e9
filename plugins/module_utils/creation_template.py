# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Repository creation templates: the settings ECR gives the repositories it creates for you
(replication, pull through cache, create on push), one template per prefix or ROOT.

The result shape mirrors the module's options (snake_case, policies as dicts, tags as a dict), so
it is also the one form we compare. UpdateRepositoryCreationTemplate takes the whole template: an
update always sends the current template with the user's options laid over it.
"""

import json
import re

from ansible_collections.ecrkit.registry.plugins.module_utils import ecr
from ansible_collections.ecrkit.registry.plugins.module_utils import field_table
from ansible_collections.ecrkit.registry.plugins.module_utils import lifecycle_policy
from ansible_collections.ecrkit.registry.plugins.module_utils import policy_document
from ansible_collections.ecrkit.registry.plugins.module_utils import service_model
from ansible_collections.ecrkit.registry.plugins.module_utils import validators
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Action
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Plan
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Resource

RESULT_KEY = "repository_creation_template"

# First botocore releases whose ECR model knows each feature (bisected on the wheels' service-2.json).
TEMPLATES_BOTOCORE = "1.34.149"  # the creation template API, customRoleArn included
EXCLUSION_FILTERS_BOTOCORE = "1.39.11"  # imageTagMutabilityExclusionFilters and the *_WITH_EXCLUSION values
CREATE_ON_PUSH_BOTOCORE = "1.42.13"  # appliedFor CREATE_ON_PUSH

# From the service model (CreateRepositoryCreationTemplate); re.fullmatch, as the service matches.
PREFIX_PATTERN = re.compile(r"([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*/?|ROOT)")
PREFIX_MAX = service_model.limit("Prefix", "max", 256)
KMS_KEY_PATTERN = re.compile(r"arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-z0-9-]+")
FILTER_PATTERN = re.compile(r"[0-9a-zA-Z._*-]{1,128}")
MAX_FILTERS = service_model.limit("ImageTagMutabilityExclusionFilters", "max", 5)
MAX_DESCRIPTION = service_model.limit("RepositoryTemplateDescription", "max", 256)
# The model leaves these open; the ECR docs give the rules.
ROLE_ARN_PATTERN = re.compile(r"arn:aws[a-z0-9-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}")

EXCLUSION_MUTABILITIES = ("IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION")
KMS_TYPES = ("KMS", "KMS_DSSE")

# Validate: each check takes the option's value and returns it in the result shape ("" -> None).


def check_prefix(value):
    if not (1 <= len(value) <= PREFIX_MAX) or not PREFIX_PATTERN.fullmatch(value):
        raise ParameterError(
            f"prefix: {value!r} is not a template prefix: ROOT, or a repository name prefix of 1-{PREFIX_MAX} characters "
            "(lowercase letters and digits, separated by '.', '_', '__', '-' or '/'; may end with '/')."
        )
    return value


def check_description(value):
    if len(value) > MAX_DESCRIPTION:
        raise ParameterError(f"description: {len(value)} characters long; a template description is at most {MAX_DESCRIPTION}.")
    return value or None


def check_applied_for(value):
    if not value:
        raise ParameterError("applied_for: [] is empty; a template applies to at least one of REPLICATION, PULL_THROUGH_CACHE, CREATE_ON_PUSH.")
    return sorted(set(value))


def check_kms_key(value):
    if value and not KMS_KEY_PATTERN.fullmatch(value):
        raise ParameterError(
            f"kms_key: {value!r} is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY_ID); key IDs and aliases are not accepted here."
        )
    return value or None


def check_filters(value):
    unique = list(dict.fromkeys(value))  # a set to the service; keep the user's order
    if len(unique) > MAX_FILTERS:
        raise ParameterError(
            f"image_tag_mutability_exclusion_filters: {len(unique)} filters given; a template holds at most {MAX_FILTERS}."
        )
    for index, item in enumerate(unique):
        if not FILTER_PATTERN.fullmatch(item):
            raise ParameterError(
                f"image_tag_mutability_exclusion_filters[{index}]: {item!r} is not a tag filter "
                "(1-128 of letters, digits, '.', '_', '-' and the wildcard '*')."
            )
    return unique


def parse_json_document(option, value):
    """A document as a dict from the JSON text the `json` option type gives us; "" or {} -> None (clear)."""
    return validators.parse_json_object(option, value, empty_is_none=True)


def check_size(option, document, shape):
    """The policy's text as sent, against the limits the service model states for `shape`."""
    meta = service_model.shape_metadata(shape)
    validators.check_text_length(option, document, meta.get("max", 10240), meta.get("min", 0), what="policy")


def check_repository_policy(value):
    document = parse_json_document("repository_policy", value)
    if document is not None:
        # Taken as given (no Version added): the template keeps the user's policy as written.
        policy_document.check_document("repository_policy", document, default_version=False)
        check_size("repository_policy", document, "RepositoryPolicyText")
    return document


def check_lifecycle_policy(value):
    document = parse_json_document("lifecycle_policy", value)
    if document is None:
        return None
    lifecycle_policy.check_lifecycle_policy("lifecycle_policy", document)
    check_size("lifecycle_policy", document, "LifecyclePolicyText")
    return document


def check_tags(value):
    return validators.check_tags("repository_tags", value)


def check_role(value):
    if value and (len(value) > 2048 or not ROLE_ARN_PATTERN.fullmatch(value)):
        raise ParameterError(f"custom_role_arn: {value!r} is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).")
    return value or None


def check_encryption(given):
    if given.get("kms_key") is None:
        return
    encryption_type = given.get("encryption_type")
    if encryption_type == "AES256":
        raise ParameterError("kms_key: cannot be used with encryption_type=AES256; set encryption_type to KMS or KMS_DSSE.")
    if encryption_type is None:
        raise ParameterError("kms_key: needs encryption_type (KMS or KMS_DSSE) in the same task.")


def check_mutability(given):
    """Exclusion filters belong to a *_WITH_EXCLUSION mutability: they are given together."""
    mutability = given.get("image_tag_mutability")
    filters = given.get("image_tag_mutability_exclusion_filters")
    if mutability in EXCLUSION_MUTABILITIES and not filters:
        raise ParameterError(f"image_tag_mutability_exclusion_filters: required (1-{MAX_FILTERS} filters) with image_tag_mutability={mutability}.")
    if filters is not None and mutability is None:
        raise ParameterError(
            "image_tag_mutability_exclusion_filters: needs image_tag_mutability in the same task "
            f"({' or '.join(EXCLUSION_MUTABILITIES)} with filters, another value with [])."
        )
    if filters and mutability not in EXCLUSION_MUTABILITIES:
        raise ParameterError(
            f"image_tag_mutability_exclusion_filters: {filters!r} cannot be used with image_tag_mutability={mutability}; "
            f"filters need {' or '.join(EXCLUSION_MUTABILITIES)}."
        )


def validate_item(params):
    """(prefix, given): `given` holds only the options the user set, in the result shape."""
    prefix = check_prefix(params["prefix"])
    given = {field.option: field.check(field.option, params[field.option]) for field in TABLE[1:] if params.get(field.option) is not None}
    check_encryption(given)
    check_mutability(given)
    return prefix, given


def validate(params):
    prefix, given = validate_item(params)
    return {"state": params["state"], "prefix": prefix, "given": given}


# Read


def read(client, request):
    template = ecr.describe_repository_creation_template(client, request["prefix"])
    role = request.get("given", {}).get("custom_role_arn")
    if role and role != (template or {}).get("customRoleArn"):
        # A new role must be in the registry's account, which only DescribeRegistry tells; plan() checks it.
        request["account"] = ecr.describe_registry(client)["registryId"]
    return from_api(template) if template else None


# Canonical forms: API <-> result shape


def parse_policy_text(text):
    return json.loads(text) if text else None


def policy_text(document):
    # The API's size limits count what we send: one function measures it and makes it.
    return validators.document_text(document)


def from_api(template):
    """The template in the result shape. The service leaves out what is unset."""
    return field_table.from_api(TABLE, template)


def to_api(template, current=None):
    """Create/Update parameters for the whole `template`. A field set in `current` and unset in
    `template` is sent empty, so it is cleared whatever the service does with omitted fields."""
    return field_table.to_api(TABLE, template, current)


def defaults(prefix):
    """A new template before the user's options: the service's defaults."""
    return dict(field_table.defaults(TABLE), prefix=prefix)


# Compare


def canonical_lifecycle(document):
    """Rules in priority order (their order in the list means nothing); tag lists as sets."""
    if document is None:
        return None
    rules = []
    for rule in sorted(document.get("rules", []), key=lambda rule: rule["rulePriority"]):
        selection = dict(rule.get("selection") or {})
        for name in ("tagPrefixList", "tagPatternList"):
            if isinstance(selection.get(name), list):
                selection[name] = sorted(selection[name])
        rules.append(dict(rule, selection=selection))
    return dict(document, rules=rules)


def same_policy(current, desired):
    if current is None or desired is None:
        return current is None and desired is None
    return not ecr.policies_differ(current, desired)


def same_lifecycle(current, desired):
    return canonical_lifecycle(current) == canonical_lifecycle(desired)


def same_set(current, desired):
    return set(current) == set(desired)


def changed_fields(current, desired):
    return field_table.changed(TABLE, current, desired)


# The table


def _value(check):
    """A check of the value alone (its messages name the option) as a row's check(where, value)."""
    return lambda where, value: check(value)


def _needs(version, reason, when):
    return lambda value: [(version, reason)] if when(value) else []


def _tags_to_api(tags):
    return [{"Key": key, "Value": value} for key, value in sorted(tags.items())]


# One row per option, in the order the result and the diff show them. The defaults are the service's
# for what a template leaves out; `clear` is what an update sends to remove a field.
TABLE = [
    field_table.field("prefix", "prefix", dict(type="str", required=True), check=_value(check_prefix)),
    field_table.field("description", "description", dict(type="str"), check=_value(check_description), decode=lambda text: text or None, clear=""),
    field_table.field(
        "applied_for", "appliedFor", dict(type="list", elements="str", choices=["REPLICATION", "PULL_THROUGH_CACHE", "CREATE_ON_PUSH"]),
        default=[], check=_value(check_applied_for), decode=sorted, equal=same_set,
        botocore=_needs(CREATE_ON_PUSH_BOTOCORE, "to use applied_for=CREATE_ON_PUSH", lambda value: "CREATE_ON_PUSH" in value),
    ),
    field_table.field("encryption_type", ("encryptionConfiguration", "encryptionType"), dict(type="str", choices=["AES256", "KMS", "KMS_DSSE"]),
                      default="AES256"),
    field_table.field("kms_key", ("encryptionConfiguration", "kmsKey"), dict(type="str", no_log=False), check=_value(check_kms_key),
                      decode=lambda key: key or None),
    field_table.field(
        "image_tag_mutability", "imageTagMutability",
        dict(type="str", choices=["MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"]), default="MUTABLE",
        botocore=_needs(EXCLUSION_FILTERS_BOTOCORE, "to use image tag mutability exclusion filters", lambda value: value in EXCLUSION_MUTABILITIES),
    ),
    field_table.field(
        "image_tag_mutability_exclusion_filters", "imageTagMutabilityExclusionFilters", dict(type="list", elements="str"), default=[],
        check=_value(check_filters), equal=same_set,
        # The API takes 1-5 filters, never an empty list: a mutability without exclusions has none.
        encode=lambda values: [{"filterType": "WILDCARD", "filter": item} for item in values] or field_table.OMIT,
        decode=lambda filters: [item["filter"] for item in filters],
        botocore=_needs(EXCLUSION_FILTERS_BOTOCORE, "to use image tag mutability exclusion filters", lambda value: True),
    ),
    field_table.field("repository_policy", "repositoryPolicy", dict(type="json"), check=_value(check_repository_policy), encode=policy_text,
                      decode=parse_policy_text, equal=same_policy, clear=""),
    field_table.field("lifecycle_policy", "lifecyclePolicy", dict(type="json"), check=_value(check_lifecycle_policy), encode=policy_text,
                      decode=parse_policy_text, equal=same_lifecycle, clear=""),
    field_table.field("repository_tags", "resourceTags", dict(type="dict"), default={}, check=_value(check_tags), encode=_tags_to_api,
                      decode=lambda tags: {tag["Key"]: tag["Value"] for tag in tags}),
    field_table.field("custom_role_arn", "customRoleArn", dict(type="str"), check=_value(check_role), decode=lambda arn: arn or None, clear=""),
]
FIELDS = tuple(field.option for field in TABLE)
# One template's options: the argument spec of ecr_creation_template (with state) and of the items
# of ecr_registry's config.creation_templates.
TEMPLATE_SPEC = field_table.argument_spec(TABLE)


def botocore_requirements(params):
    """(version, reason) pairs the options set in this task need; the module shell checks them."""
    return [(TEMPLATES_BOTOCORE, "to manage repository creation templates")] + field_table.botocore_requirements(TABLE, params)


# Plan


def merge(current, given):
    """`given` laid over `current` (or the defaults): an omitted option keeps its value, except
    where the API ties it to an option the user changed."""
    desired = dict(current, **given)
    if "encryption_type" in given and "kms_key" not in given and given["encryption_type"] not in KMS_TYPES:
        desired["kms_key"] = None  # an AES256 template has no key; KMS <-> KMS_DSSE keeps it
    if "image_tag_mutability" in given and "image_tag_mutability_exclusion_filters" not in given:
        desired["image_tag_mutability_exclusion_filters"] = []  # validate() made sure this mutability takes none
    return desired


def role_warnings(template):
    if template["custom_role_arn"]:
        return []
    needs = []
    if template["repository_tags"]:
        needs.append("repository_tags (to tag)")
    if template["encryption_type"] in KMS_TYPES:
        needs.append(f"encryption_type={template['encryption_type']} (to encrypt with KMS)")
    if not needs:
        return []
    return [
        f"repository creation template {template['prefix']!r} sets {' and '.join(needs)} without custom_role_arn: "
        "ECR needs a custom role for that when it creates repositories from the template; set custom_role_arn."
    ]


def check_location(given, account, region):
    """ECR uses the key in the registry's region, and assumes the role in the registry's account."""
    if given.get("kms_key"):
        validators.check_arn_region("kms_key", given["kms_key"], region)
    if given.get("custom_role_arn"):
        validators.check_arn_account("custom_role_arn", given["custom_role_arn"], account)


def desired_template(prefix, given, current, replace=False):
    """The template the user wants: `given` over the current template, or over the defaults when
    there is none or when `replace` (the template is taken whole)."""
    if (current is None or replace) and "applied_for" not in given:
        why = "which does not exist yet" if current is None else "which is replaced whole"
        raise ParameterError(
            f"applied_for: required to create the repository creation template for prefix {prefix!r}, {why} "
            "(one or more of REPLICATION, PULL_THROUGH_CACHE, CREATE_ON_PUSH)."
        )
    return merge(defaults(prefix) if current is None or replace else current, given)


def plan_template(current, desired):
    """The write (create or update) that makes the template `desired`, if any."""
    prefix = desired["prefix"]
    warnings = role_warnings(desired)
    if current is None:

        def create(client):
            return from_api(ecr.create_repository_creation_template(client, to_api(desired)))

        return Plan(None, desired, [Action(f"create the repository creation template for prefix {prefix!r}", create)], warnings=warnings)

    changed = changed_fields(current, desired)
    if not changed:
        return Plan(current, current, warnings=warnings)
    # Fields equal in meaning keep the service's form, so the diff shows only what changes.
    after = {option: desired[option] if option in changed else current[option] for option in FIELDS}

    def update(client):
        return from_api(ecr.update_repository_creation_template(client, to_api(after, current)))

    description = f"update the repository creation template for prefix {prefix!r} ({', '.join(changed)})"
    return Plan(current, after, [Action(description, update)], warnings=warnings)


def verify_fields(prefix, given):
    """verify(current) for an update, which sends the whole template built from our read (see
    verified_write): the fields the task set (`given`; a whole template for one taken whole),
    equal in meaning."""

    def verify(current):
        if current is None:
            return f"repository creation template {prefix!r} is gone"
        missing = changed_fields(current, merge(current, given))
        return f"repository creation template {prefix!r} fields {missing} are not as this task set them" if missing else None

    return verify


def plan_delete(prefix, current):
    if current is None:
        return Plan(None, None)

    def delete(client):
        ecr.delete_repository_creation_template(client, prefix)
        return None

    return Plan(current, None, [Action(f"delete the repository creation template for prefix {prefix!r}", delete)])


def plan(request, current, context):
    prefix = request["prefix"]
    if request["state"] == "absent":
        return plan_delete(prefix, current)
    check_location(request["given"], request.get("account"), context.get("region"))
    planned = plan_template(current, desired_template(prefix, request["given"], current))
    if current is not None and planned.actions:
        planned.verify = verify_fields(prefix, request["given"])  # an update merges into the template read
    return planned


RESOURCE = Resource(RESULT_KEY, validate, read, plan, botocore_requirements=botocore_requirements)
