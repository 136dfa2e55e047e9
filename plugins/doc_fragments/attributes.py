# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # What every ecrkit.registry module promises about check and diff mode (the shared runner keeps it).
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    support: full
    description:
      - Makes no write call, ever. Returns the predicted resource, in the same shape as a real run,
        and C(changed) when a write would be made.
  diff_mode:
    support: full
    description:
      - Shows the resource before and after the task, as data.
"""
