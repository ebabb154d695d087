# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_billing_health
from . import test_checkin_cron
from . import test_checkin_performance
from . import test_dashboard
from . import test_dunning_bounce
from . import test_dunning_cron
from . import test_dunning_smtp
from . import test_dunning_performance
from . import test_dunning_policy
from . import test_dunning_send_now
from . import test_dunning_templates
from . import test_handoff
from . import test_health
from . import test_health_demo
from . import test_health_display
from . import test_install
from . import test_mail_render_batch
from . import test_menus
from . import test_metrics
from . import test_migration
from . import test_milestone
from . import test_nps
from . import test_onboarding
from . import test_payer
from . import test_portfolio
from . import test_res_partner
from . import test_security
from . import test_settings
from . import test_subscription_invoicing
from . import test_touch_model
from . import test_ui
from . import test_usage_feed
from . import test_usage_fuzz
from . import test_voice_loop
from . import test_webhook
