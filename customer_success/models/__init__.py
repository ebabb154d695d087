# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import cs_mail_mixin
from . import cs_team
from . import cs_touch_model
from . import cs_onboarding_stage
from . import cs_onboarding_stage_task
from . import cs_onboarding
from . import cs_onboarding_task
from . import cs_stakeholder
from . import cs_success_goal
from . import cs_handoff
from . import cs_milestone_type
from . import cs_milestone
from . import cs_usage_metric
from . import cs_nps_campaign
from . import cs_nps_response
from . import cs_health_factor
from . import cs_health_snapshot
from . import cs_mrr_movement
from . import cs_dashboard
from . import cs_webhook
from . import cs_webhook_delivery
from . import cs_dunning_policy
from . import cs_dunning_step
from . import cs_dunning_log
from . import res_company
from . import res_config_settings
from . import res_partner
from . import account_move
from . import mail_notification
from . import sale_subscription
from . import sale_subscription_template
from . import mail_activity
from . import survey_survey
from . import survey_question
from . import survey_user_input
