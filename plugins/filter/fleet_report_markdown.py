# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: fleet_report_markdown
short_description: A registry fleet report as a Markdown table
version_added: 0.1.0
author:
  - ecrkit maintainers (@ecrkit)
description:
  - Renders the report of P(ecrkit.registry.fleet_report#filter) as Markdown, one table row per
    registry with its host, account, region, status, the sections that differ with their item counts, and
    why a failed host failed.
options:
  _input:
    description: The report, as P(ecrkit.registry.fleet_report#filter) returns it.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Write the fleet report as Markdown
  ansible.builtin.copy:
    dest: fleet.md
    content: "{{ hostvars | ecrkit.registry.fleet_report(ansible_play_hosts_all) | ecrkit.registry.fleet_report_markdown }}"
  run_once: true
  delegate_to: localhost
"""

RETURN = r"""
_value:
  description: The Markdown text.
  type: str
"""


def cell(text):
    """Text safe in a table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def differences(sections):
    """'replication: 1 added, 1 removed; creation_templates: 2 changed'."""
    return "; ".join(
        f"{section}: " + ", ".join(f"{count} {kind}" for kind, count in counts.items() if count) for section, counts in sections.items()
    )


def fleet_report_markdown(report):
    summary = report["summary"]
    if report["check_mode"]:
        heading = "Drift report (check mode): `changed` means the registry differs from the baseline; nothing was written."
    else:
        heading = "Apply report: `changed` means the registry was changed."
    lines = [
        "# ECR registry fleet report",
        "",
        heading,
        "",
        f"State `{report['state']}`; {summary['registries']} registries: "
        f"{summary['changed']} changed, {summary['unchanged']} unchanged, {summary['failed']} failed.",
        "",
        "| host | account | region | status | differences | error |",
        "|---|---|---|---|---|---|",
    ]
    for entry in report["registries"]:
        row = [entry["host"], entry["account"] or "", entry["region"] or "", entry["status"], differences(entry["sections"]), entry["msg"] or ""]
        lines.append("| " + " | ".join(cell(value) for value in row) + " |")
    return "\n".join(lines) + "\n"


class FilterModule:
    def filters(self):
        return {"fleet_report_markdown": fleet_report_markdown}
