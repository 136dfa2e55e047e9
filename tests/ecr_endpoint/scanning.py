"""The registry scanning configuration: one scan type and at most two rules per registry.

PutRegistryScanningConfiguration replaces the whole configuration. The API reference
(RegistryScanningRule.scanFrequency) says which frequencies each scan type supports: BASIC scans
on push only (repositories no rule matches are scanned manually, MANUAL being that default, not
a rule), ENHANCED scans on push or continuously. The list limit of two rules is the model's, so
validation.py enforces it before the handler runs.
"""

from .errors import invalid_parameter

SUPPORTED_FREQUENCIES = {"BASIC": ("SCAN_ON_PUSH",), "ENHANCED": ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")}


def get_scanning_configuration(ctx, params):
    registry_id, registry = ctx.registry()
    return {"registryId": registry_id, "scanningConfiguration": registry.scanning_configuration}


def put_scanning_configuration(ctx, params):
    # "When a registry scanning configuration is not defined, by default the BASIC scan type is used."
    scan_type = params.get("scanType") or "BASIC"
    rules = params.get("rules") or []
    frequencies = [rule["scanFrequency"] for rule in rules]
    for frequency in frequencies:
        if frequency not in SUPPORTED_FREQUENCIES[scan_type]:
            # The reference names no error for this; a service-side check is InvalidParameterException (assumed).
            raise invalid_parameter(
                "rules.scanFrequency",
                f"Scan frequency {frequency} is not supported for scan type {scan_type}; "
                f"supported: {', '.join(SUPPORTED_FREQUENCIES[scan_type])}",
            )
    if len(set(frequencies)) != len(frequencies):
        # The reference says nothing about two rules with one frequency; each frequency takes its own
        # filters (user guide, "Using filters"), so a duplicate is refused here (assumed, not documented).
        raise invalid_parameter("rules", "Each scan frequency can be used by at most one scanning rule")
    _registry_id, registry = ctx.registry()
    registry.scanning_configuration = {"scanType": scan_type, "rules": rules}
    return {"registryScanningConfiguration": registry.scanning_configuration}


HANDLERS = {
    "GetRegistryScanningConfiguration": get_scanning_configuration,
    "PutRegistryScanningConfiguration": put_scanning_configuration,
}
