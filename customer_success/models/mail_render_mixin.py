# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import traceback
import uuid

from lxml import html

from odoo import api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# the key of ``add_context`` that carries values per record
PER_RECORD = "cs_per_record"


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    @api.model
    def _render_template_qweb(
        self, template_src, model, res_ids, add_context=None, options=None
    ):
        """Render a QWeb template for many records, compiled once.

        Odoo compiles the template again for each record; a dunning run
        renders one template for hundreds of payers, each with its own list
        of invoices. With ``cs_per_record`` ({res_id: {name: value}}) in
        ``add_context``, the template is wrapped in one loop over the records
        (``object`` and the per-record names set at each turn), rendered once
        and cut at a separator. Records among those values are read in the
        rendering language, as ``object`` is.
        """
        add_context = dict(add_context or {})
        per_record = add_context.pop(PER_RECORD, None)
        if per_record is None:
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        names = sorted({name for values in per_record.values() for name in values})
        if any(not name.isidentifier() for name in names):
            raise ValueError(f"Not a template variable name: {names}")
        restricted = (
            not self._unrestricted_rendering
            and not self.env.is_admin()
            and not self.env.user.has_group("mail.group_mail_template_editor")
        )
        if (
            not template_src
            or not res_ids
            or restricted
            or not self._has_unsafe_expression_template_qweb(template_src, model)
        ):
            # one record at a time, as Odoo does (the safety checks of a
            # restricted user apply to the template as written)
            return {
                res_id: super(MailRenderMixin, self)._render_template_qweb(
                    template_src,
                    model,
                    [res_id],
                    add_context={**add_context, **self._cs_bind(per_record, res_id)},
                    options=options,
                )[res_id]
                for res_id in res_ids
            }
        separator = f"cs-split-{uuid.uuid4().hex}"
        records = self.env[model].browse(res_ids)
        variables = self._render_eval_context()
        variables.update(add_context)
        variables.update(
            cs_batch=[
                (record, self._cs_bind(per_record, record.id)) for record in records
            ],
            cs_separator=separator,
        )
        sets = "".join(
            f'<t t-set="{name}" t-value="cs_entry[1].get({name!r})"/>' for name in names
        )
        source = (
            '<t t-foreach="cs_batch" t-as="cs_entry">'
            f'<t t-set="object" t-value="cs_entry[0]"/>{sets}'
            f'{template_src}<t t-out="cs_separator"/></t>'
        )
        try:
            rendered = self.env["ir.qweb"]._render(
                html.fragment_fromstring(source, create_parent="div"),
                variables,
                **(options or {}),
            )
        except Exception as error:
            _logger.info("Failed to render template: %s", template_src, exc_info=True)
            raise UserError(
                self.env._(
                    "Failed to render QWeb template: %(template_src)s\n\n"
                    "%(template_traceback)s)",
                    template_src=template_src,
                    template_traceback=traceback.format_exc(),
                )
            ) from error
        # the <div> wrapping the fragment, then one part per record
        parts = rendered[5:-6].split(separator)
        return dict(zip(res_ids, parts[: len(res_ids)], strict=True))

    def _cs_bind(self, per_record, res_id):
        """The values of record ``res_id``, its records in this environment
        (the rendering language)."""
        return {
            name: value.with_env(self.env)
            if isinstance(value, models.BaseModel)
            else value
            for name, value in per_record.get(res_id, {}).items()
        }
