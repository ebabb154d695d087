# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import controllers
from . import models
from . import report
from . import wizards


def post_init_hook(env):
    """Companies that existed before the install get their own stages and touch
    models, like the companies created afterwards."""
    env["res.company"].search([])._cs_setup_company()


def uninstall_hook(env):
    """The milestones recorded at run time (a renewal paid, an activation)
    refer to the shipped milestone types, which they would keep from being
    removed with the rest of the addon's data: they go first, as their
    table goes with the addon anyway."""
    env.cr.execute("DELETE FROM cs_milestone")
