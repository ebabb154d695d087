# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Searching names made of a translated text around the customer's name
("Onboarding of %(customer)s"), which are not stored."""

from odoo.fields import Domain

# what stands for the customer's name in the translated pattern
CUSTOMER = "\x00"
SUBSTRING_OPERATORS = ("ilike", "like")
OPERATORS = (*SUBSTRING_OPERATORS, "=ilike", "=like", "=")


def customer_name_domain(pattern, operator, value, field="partner_id"):
    """The domain of the records whose name, ``pattern`` with the customer's
    name at :data:`CUSTOMER`, matches ``value``: the fixed words of the
    pattern are taken out of ``value`` and the rest is searched in the
    customer's name. A value within the fixed words matches every name.
    ``None`` when ``operator`` is not one of :data:`OPERATORS`."""
    if operator not in OPERATORS or not isinstance(value, str):
        return None
    prefix, _mark, suffix = pattern.partition(CUSTOMER)
    fold = str.lower if "ilike" in operator else str
    text = value
    if operator in SUBSTRING_OPERATORS:
        if fold(text) in fold(prefix) or fold(text) in fold(suffix):
            return Domain(field, "!=", False)
        # the value may start inside the fixed words ("of Acme")
        for start in range(len(prefix)):
            if fold(text).startswith(fold(prefix[start:])):
                text = text[len(prefix) - start :]
                break
        for end in range(len(suffix), 0, -1):
            if fold(text).endswith(fold(suffix[:end])):
                text = text[: len(text) - end]
                break
    else:
        if fold(text).startswith(fold(prefix)):
            text = text[len(prefix) :]
        if suffix and fold(text).endswith(fold(suffix)):
            text = text[: len(text) - len(suffix)]
    return Domain(field, operator, text)
