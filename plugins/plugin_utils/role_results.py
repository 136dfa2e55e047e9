# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The registry of a host, read back from the results the role registry_config registers.

The role publishes nothing per host: the plan's result already names the registry (account and
region) and what it replicates to, and other hosts can read registered results through hostvars,
while role variables stay private to each host. Every task a host runs costs a worker per host, so
the role reads the fleet once instead of adding a set_fact task per host.
"""

from __future__ import annotations


def _result(variables, name):
    """A registered result that ran and did not fail, else None."""
    result = variables.get(name)
    if not isinstance(result, dict) or result.get("failed") or result.get("skipped"):
        return None
    return result


def host_registry(variables):
    """{account, region, replication_rules} of a host whose plan succeeded, else None.

    `account` is the plan's registry_id, else the STS fallback's account, else None (the plan read
    nothing that names it and no write needed it). `replication_rules` are the rules the registry
    has after the baseline is applied (the plan's `after`), or None when the baseline has no
    replication section.
    """
    plan = _result(variables, "registry_config_plan")
    if plan is None or "region" not in plan:
        return None
    caller = _result(variables, "registry_config_caller") or {}
    replication = (plan.get("after") or {}).get("replication")
    return {
        "account": plan.get("registry_id") or caller.get("account"),
        "region": plan["region"],
        "replication_rules": replication.get("rules") if isinstance(replication, dict) else None,
    }
