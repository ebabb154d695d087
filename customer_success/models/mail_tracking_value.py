# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    def _format_display_value(self, field_type, new=True):
        """The values of the selection fields of this module in the reader's
        language.

        Odoo keeps the label of a tracked selection value as text, in the
        language of whoever changed it (the daily health run: English). The
        label is mapped back to its value, then shown in the language of the
        reader."""
        result = super()._format_display_value(field_type, new=new)
        if field_type != "selection":
            return result
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        selections = {}
        for index, tracking in enumerate(self):
            field = self._cs_get_tracked_field(tracking)
            if not field or not result[index]:
                continue
            if field not in selections:
                values = {}
                for lang in [*langs, self.env.lang]:
                    labels = field._description_selection(
                        self.with_context(lang=lang).env
                    )
                    values.update({label: key for key, label in labels})
                reader = dict(field._description_selection(self.env))
                selections[field] = (values, reader)
            values, reader = selections[field]
            key = values.get(result[index])
            if key in reader:
                result[index] = reader[key]
        return result

    def _cs_get_tracked_field(self, tracking):
        """The selection field of this module ``tracking`` is of, if any."""
        model = tracking.field_id.model
        if model not in self.env:
            return None
        field = self.env[model]._fields.get(tracking.field_id.name)
        if (
            field is None
            or field.type != "selection"
            or isinstance(field.selection, str)
            or callable(field.selection)
            or "customer_success" not in (field._modules or ())
        ):
            return None
        return field
