/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

const MINE = "Risco Hospedagem";
const OTHERS = "Outro Risco Ltda";
const STEPS = ["Call the sponsor", "Agree a recovery plan"];
const SAVED_RATE = ".o_cs_card[data-card='cta_saved_rate'] .o_cs_card_value";

function check(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
}

/** Mark the plan's step ``summary`` done from the chatter's activities. */
function markDone(summary) {
    return [
        {
            content: `Mark "${summary}" done`,
            trigger: `.o-mail-Activity:contains('${summary}') .o-mail-Activity-markDone`,
            run: "click",
        },
        {
            content: "Done, without scheduling the next one",
            trigger: ".o-mail-ActivityMarkAsDone button[aria-label='Done']",
            run: "click",
        },
        {
            content: `"${summary}" is done: off the planned activities, in the history`,
            trigger: `.o-mail-Chatter:not(:has(.o-mail-Activity:contains('${summary}'))) .o-mail-Message:contains('To-Do done'):contains('${summary}')`,
        },
    ];
}

// A success manager opens their calls to action, takes the risk a play
// opened for their customer, does its plan from the chatter, closes it as
// saved and sees the dashboard count it.
registry.category("web_tour.tours").add("customer_success_cta_saved", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Customer Success app",
            trigger: ".o_app[data-menu-xmlid='customer_success.customer_success_menu_root']",
            run: "click",
        },
        {
            content: "No risk was closed this month: the dashboard has no saved rate",
            trigger: SAVED_RATE,
            run() {
                const shown = this.anchor.textContent.trim();
                check(shown === "-", `Risks Saved shows ${shown} before any close`);
            },
        },
        {
            content: "Open the calls to action",
            trigger: "a[data-menu-xmlid='customer_success.cs_cta_menu']",
            run: "click",
        },
        {
            content: "My Calls to Action and To Do are the default filters",
            trigger: ".o_searchview_facet:contains('My Calls to Action') ~ .o_searchview_facet:contains('To Do')",
        },
        {
            content: "My customer's call to action is there, the other manager's is not",
            trigger: `.o_kanban_renderer:has(.o_kanban_record:contains('${MINE}')):not(:has(.o_kanban_record:contains('${OTHERS}')))`,
        },
        {
            content: "It waits in the Open column",
            trigger: `.o_kanban_group:has(.o_column_title:contains('Open')) .o_kanban_record:contains('${MINE}')`,
        },
        {
            content: "Show everyone's calls to action",
            trigger: ".o_searchview_facet:contains('My Calls to Action') .o_facet_remove",
            run: "click",
        },
        {
            content: "The other manager's call to action shows without the filter",
            trigger: `.o_kanban_record:contains('${OTHERS}')`,
        },
        {
            content: "Open my customer's call to action",
            trigger: `.o_kanban_record:contains('${MINE}')`,
            run: "click",
        },
        {
            content: "It shows why it opened, with the play's plan in the chatter",
            trigger: `.o_form_view:has(.o_field_widget[name='reason']:contains('The sponsor went quiet')) .o-mail-Activity:contains('${STEPS[1]}')`,
        },
        {
            content: "Take it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_start']",
            run: "click",
        },
        {
            content: "It is in progress",
            trigger: ".o_statusbar_status button[aria-checked='true']:contains('In Progress')",
        },
        ...STEPS.flatMap(markDone),
        {
            content: "No planned activity is left",
            trigger: ".o-mail-Chatter:not(:has(.o-mail-Activity))",
        },
        {
            content: "Close it as saved",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_close_saved']",
            run: "click",
        },
        {
            content: "It is done, saved",
            trigger: ".o_statusbar_status button[aria-checked='true']:contains('Done')",
        },
        {
            content: "It can only be reopened now",
            trigger: ".o_statusbar_buttons:has(button[name='action_reopen']):not(:has(button[name='action_close_saved']))",
        },
        {
            content: "Back to the dashboard",
            trigger: "a[data-menu-xmlid='customer_success.cs_dashboard_menu']",
            run: "click",
        },
        {
            content: "The risk saved is counted: 100% of the risks closed this month",
            trigger: `${SAVED_RATE}:contains('100.0%')`,
        },
    ],
});
