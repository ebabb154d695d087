# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from lxml import etree

from odoo import models

from .mail_render_mixin import COMPILED


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        """Compile an inline template (an element, as the mail renderer
        passes) once per batch: Odoo caches the compilation of stored
        templates only, and the batched mail renderer renders the same
        element for every record of a batch. The compilation depends on the
        element and on the context keys Odoo's own cache is keyed on, never
        on the values the template is rendered with."""
        compiled = self.env.context.get(COMPILED)
        if compiled is None or not isinstance(template, etree._Element):
            return super()._compile(template)
        key = (
            id(template),
            tuple(
                self.env.context.get(name) or False
                for name in self._get_template_cache_keys()
            ),
        )
        if key not in compiled:
            compiled[key] = (template, super()._compile(template))
        return compiled[key][1]
