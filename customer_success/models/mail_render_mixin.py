# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import traceback

from lxml import html

from odoo import api, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.base.models.ir_qweb import QWebError

_logger = logging.getLogger(__name__)

# the key of ``add_context`` that carries values per record
PER_RECORD = "cs_per_record"
# the context key of ir.qweb that holds the compilations of one batch
COMPILED = "cs_qweb_compiled"


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    @api.model
    def _render_template_qweb(
        self, template_src, model, res_ids, add_context=None, options=None
    ):
        """Render a QWeb template for many records, compiled once.

        With ``cs_per_record`` ({res_id: {name: value}}) in ``add_context``,
        each record is rendered exactly as Odoo renders it (its own copy of
        the values, so nothing one record's rendering sets reaches the next
        one), with its own values added; only the compilation of the
        template, which does not depend on the record, is done once for the
        batch instead of once per record. Records among the per-record values
        are read in the rendering language, as ``object`` is.
        """
        add_context = dict(add_context or {})
        per_record = add_context.pop(PER_RECORD, None)
        if per_record is None:
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        names = {name for values in per_record.values() for name in values}
        if any(not name.isidentifier() for name in names):
            raise ValueError(f"Not a template variable name: {sorted(names)}")
        results = dict.fromkeys(res_ids, "")
        if not template_src or not res_ids:
            return results
        restricted = (
            not self._unrestricted_rendering
            and not self.env.is_admin()
            and not self.env.user.has_group("mail.group_mail_template_editor")
        )
        if restricted or not self._has_unsafe_expression_template_qweb(
            template_src, model
        ):
            # Odoo's own path, one record at a time (the regex renderer, or
            # the safety checks of a restricted user on the template as written)
            for res_id in res_ids:
                results[res_id] = super()._render_template_qweb(
                    template_src,
                    model,
                    [res_id],
                    add_context={**add_context, **self._cs_bind(per_record, res_id)},
                    options=options,
                )[res_id]
            return results
        # As Odoo's _render_template_qweb, the compilation aside
        variables = self._render_eval_context()
        variables.update(add_context)
        template = html.fragment_fromstring(template_src, create_parent="div")
        qweb = self.env["ir.qweb"].with_context(**{COMPILED: {}})
        for record in self.env[model].browse(res_ids):
            values = {
                **variables,
                **self._cs_bind(per_record, record.id),
                "object": record,
            }
            try:
                render_result = qweb._render(template, values, **(options or {}))
            except Exception as error:
                if isinstance(error, QWebError) and isinstance(
                    error.__cause__, PermissionError
                ):
                    group = self.env.ref("mail.group_mail_template_editor")
                    raise AccessError(
                        self.env._(
                            "Only members of %(group_name)s group are allowed to "
                            "edit templates containing sensible placeholders",
                            group_name=group.name,
                        )
                    ) from error
                _logger.info(
                    "Failed to render template: %s", template_src, exc_info=True
                )
                raise UserError(
                    self.env._(
                        "Failed to render QWeb template: %(template_src)s\n\n"
                        "%(template_traceback)s)",
                        template_src=template_src,
                        template_traceback=traceback.format_exc(),
                    )
                ) from error
            # the <div> wrapping the fragment
            results[record.id] = render_result[5:-6]
        return results

    def _cs_bind(self, per_record, res_id):
        """The values of record ``res_id``, its records in this environment
        (the rendering language)."""
        return {
            name: value.with_env(self.env)
            if isinstance(value, models.BaseModel)
            else value
            for name, value in per_record.get(res_id, {}).items()
        }
