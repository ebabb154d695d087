# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fixtures of the Pix tests: the company in São Paulo with a Pix key on its
bank account, invoices in reais, and an EMV decoder of our own (the test must
not trust the encoder it checks)."""

import re

from lxml import html

from odoo.addons.customer_success.tests.common import CustomerSuccessBillingCommon

PIX_KEY = "71d6c6e1-64ea-4a11-9560-a10870c40ca2"
# a Pix payload in a text, on one line (the merchant's name and city have
# spaces): it starts with the payload format indicator and ends with the CRC
# tag and its four hexadecimal digits
PIX_CODE = re.compile(r"000201[ -~]*?6304[0-9A-F]{4}")


def crc16_ccitt(data):
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF), the CRC of
    EMV QR codes."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def decode_emv(payload):
    """The EMV TLV fields of ``payload``: {tag: value}; tag 26 (the Pix
    merchant account) decoded too, as {"26": {tag: value}}. Fails on a
    truncated field."""
    fields_ = {}
    index = 0
    while index < len(payload):
        tag, length = payload[index : index + 2], int(payload[index + 2 : index + 4])
        value = payload[index + 4 : index + 4 + length]
        if len(value) != length:
            raise ValueError(f"truncated field {tag} at {index}")
        fields_[tag] = value
        index += 4 + length
    if "26" in fields_:
        fields_["26"] = decode_emv(fields_["26"])
    return fields_


class PixMixin:
    """The main company in São Paulo with a Pix key on its bank account, and
    invoices in reais."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.brl = cls.env.ref("base.BRL")
        cls.brl.active = True
        cls.company.partner_id.write(
            {
                "name": "Nuvem Alta Hospedagem Ltda",
                "country_id": cls.env.ref("base.br").id,
                "city": "São Paulo",
            }
        )
        cls.bank = cls.env["res.partner.bank"].create(
            {
                "acc_number": "0001 12345-6",
                "partner_id": cls.company.partner_id.id,
                "proxy_type": "br_random",
                "proxy_value": PIX_KEY,
            }
        )

    @classmethod
    def create_brl_invoice(cls, amount=1000.0, **values):
        return cls.create_invoice(amount, currency_id=cls.brl.id, **values)

    def pix_code_of(self, mail):
        """The Pix copy-and-paste code as the e-mail's reader sees it (the
        text of its body, not the QR code's URL)."""
        text = html.fromstring(mail.body_html).text_content()
        codes = PIX_CODE.findall(text)
        self.assertEqual(len(codes), 1, f"one Pix code in the e-mail: {text}")
        return codes[0]

    def assertValidPix(self, code, amount):
        """``code`` decodes as EMV TLV, has a valid CRC and pays ``amount``
        reais to the company's key."""
        self.assertEqual(crc16_ccitt(b"123456789"), 0x29B1)  # the check value
        self.assertEqual(code[-8:-4], "6304")
        self.assertEqual(
            int(code[-4:], 16), crc16_ccitt(code[:-4].encode()), "CRC16 of the code"
        )
        emv = decode_emv(code)
        self.assertEqual(emv["00"], "01")
        self.assertEqual(emv["26"]["00"], "br.gov.bcb.pix")
        self.assertEqual(emv["26"]["01"], self.bank.proxy_value)
        self.assertEqual(emv["53"], "986", "reais")
        self.assertEqual(emv["54"], f"{amount:.2f}")
        self.assertEqual(emv["58"], "BR")
        self.assertEqual(emv["60"], "SAO PAULO")
        return emv


class CustomerSuccessPixCommon(PixMixin, CustomerSuccessBillingCommon):
    """The dunning fixtures with a Pix key."""
