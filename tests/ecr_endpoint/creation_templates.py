"""Repository creation templates: settings ECR applies to repositories it creates for you
(pull through cache, replication, create on push), one template per prefix or `ROOT`.

The service fills defaults (imageTagMutability MUTABLE, AES256 encryption) and returns policy texts
re-serialised. UpdateRepositoryCreationTemplate takes the template's full new state: an optional
field left out of an update goes back to its default or absence (appliedFor, required to create,
is kept when left out). Clients must therefore send everything they want to keep.
"""

from . import paging, policy_text
from .errors import EcrError, invalid_parameter
from .state import now

EXCLUSION_MUTABILITIES = ("IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION")
# The response members, in the order the API reference lists them.
FIELDS = (
    "prefix", "description", "encryptionConfiguration", "resourceTags", "imageTagMutability",
    "imageTagMutabilityExclusionFilters", "repositoryPolicy", "lifecyclePolicy", "appliedFor",
    "customRoleArn", "createdAt", "updatedAt",
)


def create_template(ctx, params):
    registry_id, registry = ctx.registry()
    prefix = params["prefix"]
    if prefix in registry.templates:
        raise EcrError(
            "TemplateAlreadyExistsException",
            f"The repository creation template with prefix '{prefix}' already exists in the registry with id '{registry_id}'",
        )
    created = now()
    template = _build(params, params["appliedFor"], created, created)
    registry.templates[prefix] = template
    return {"registryId": registry_id, "repositoryCreationTemplate": render(template)}


def update_template(ctx, params):
    registry_id, registry = ctx.registry()
    current = _existing(registry_id, registry, params["prefix"])
    template = _build(params, params.get("appliedFor", current["appliedFor"]), current["createdAt"], now())
    registry.templates[params["prefix"]] = template
    return {"registryId": registry_id, "repositoryCreationTemplate": render(template)}


def delete_template(ctx, params):
    registry_id, registry = ctx.registry()
    template = _existing(registry_id, registry, params["prefix"])
    del registry.templates[params["prefix"]]
    return {"registryId": registry_id, "repositoryCreationTemplate": render(template)}


def describe_templates(ctx, params):
    registry_id, registry = ctx.registry()
    wanted = params.get("prefixes")
    # Unknown prefixes are simply absent from the answer, which may be an empty list.
    templates = [template for prefix, template in registry.templates.items() if wanted is None or prefix in wanted]
    chunk, next_token = paging.page(templates, lambda template: template["prefix"], params, ctx.page_size)
    result = {"registryId": registry_id, "repositoryCreationTemplates": [render(template) for template in chunk]}
    if next_token:
        result["nextToken"] = next_token
    return result


def render(template):
    """The template as the API returns it: policies re-serialised, absent fields left out."""
    out = {}
    for name in FIELDS:
        value = template.get(name)
        if value is None:
            continue
        out[name] = policy_text.pretty(value) if name in ("repositoryPolicy", "lifecyclePolicy") else value
    return out


def _build(params, applied_for, created_at, updated_at):
    """The stored template for a create or update request, defaults filled in, policies parsed."""
    if not applied_for:
        raise invalid_parameter("appliedFor", "appliedFor must contain at least one value")
    encryption = params.get("encryptionConfiguration") or {"encryptionType": "AES256"}
    if encryption["encryptionType"] == "AES256" and encryption.get("kmsKey"):
        raise invalid_parameter("encryptionConfiguration", "kmsKey can only be specified when encryptionType is KMS or KMS_DSSE")
    encryption = {name: value for name, value in encryption.items() if value}
    mutability = params.get("imageTagMutability", "MUTABLE")
    filters = params.get("imageTagMutabilityExclusionFilters")
    if mutability in EXCLUSION_MUTABILITIES and not filters:
        raise invalid_parameter(
            "imageTagMutabilityExclusionFilters",
            f"ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as {mutability}",
        )
    if filters and mutability not in EXCLUSION_MUTABILITIES:
        raise invalid_parameter(
            "imageTagMutabilityExclusionFilters",
            f"ImageTagMutabilityExclusionFilters must be null when imageTagMutability is set as {mutability}",
        )
    return {
        "prefix": params["prefix"],
        "description": params.get("description"),
        "encryptionConfiguration": encryption,
        "resourceTags": params.get("resourceTags", []),
        "imageTagMutability": mutability,
        "imageTagMutabilityExclusionFilters": filters,
        "repositoryPolicy": _policy(params, "repositoryPolicy", "Invalid repository policy provided", "Statement"),
        "lifecyclePolicy": _policy(params, "lifecyclePolicy", "Lifecycle policy validation failure", "rules"),
        "appliedFor": list(applied_for),
        # An empty role ARN means "no custom role", like leaving it out.
        "customRoleArn": params.get("customRoleArn") or None,
        "createdAt": created_at,
        "updatedAt": updated_at,
    }


def _policy(params, name, reason, required_key):
    """Parse an optional policy text; an empty text means no policy, as leaving it out does."""
    text = params.get(name)
    return policy_text.parse(text, name, reason, required_key) if text else None


def _existing(registry_id, registry, prefix):
    if prefix not in registry.templates:
        raise EcrError(
            "TemplateNotFoundException",
            f"The repository creation template with prefix '{prefix}' does not exist in the registry with id '{registry_id}'",
        )
    return registry.templates[prefix]


HANDLERS = {
    "CreateRepositoryCreationTemplate": create_template,
    "UpdateRepositoryCreationTemplate": update_template,
    "DeleteRepositoryCreationTemplate": delete_template,
    "DescribeRepositoryCreationTemplates": describe_templates,
}
