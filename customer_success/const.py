# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The selections and states shared by several models, defined once."""

# Touch models: how a customer is served
TOUCH_LEVELS = [
    ("tech", "Tech-touch"),
    ("low", "Low-touch"),
    ("mid", "Mid-touch"),
    ("high", "High-touch"),
    ("exclusive", "Exclusive-touch"),
]
# the levels a success manager serves in person
HIGH_TOUCH_MODELS = ("high", "exclusive")

# Health
FACTOR_CODES = [
    ("usage", "Product Usage"),
    ("nps", "NPS"),
    ("payment", "Payment Behaviour"),
    ("engagement", "Engagement"),
    ("onboarding", "Onboarding Progress"),
    ("sentiment", "CSM Sentiment"),
]
# the weights customer_success ships (data/cs_health_factor_data.xml), 100 in all
FACTOR_WEIGHTS = {
    "usage": 25,
    "nps": 15,
    "payment": 20,
    "engagement": 15,
    "onboarding": 10,
    "sentiment": 15,
}
HEALTH_BANDS = [("green", "Healthy"), ("yellow", "Attention"), ("red", "At Risk")]
# a band, or none yet (never scored, or no data on any factor)
HEALTH_STATUSES = [("none", "Not scored yet"), *HEALTH_BANDS]

# The success manager's judgement of a customer, and its health score
SENTIMENT_VALUES = [("good", "Good"), ("neutral", "Neutral"), ("at_risk", "At Risk")]
SENTIMENT_SCORES = {"good": 100.0, "neutral": 50.0, "at_risk": 0.0}

# Voice of the customer
NPS_CATEGORIES = [
    ("promoter", "Promoter"),
    ("passive", "Passive"),
    ("detractor", "Detractor"),
]

# Billing: the payment states of an invoice still to be paid
OPEN_PAYMENT_STATES = ("not_paid", "partial")

# Webhooks
WEBHOOK_EVENTS = [
    ("milestone", "Milestone reached"),
    ("final_dunning", "Final dunning notice"),
    ("churned", "Subscription churned"),
    ("detractor", "NPS detractor"),
    ("health_red", "Health turned red"),
]
