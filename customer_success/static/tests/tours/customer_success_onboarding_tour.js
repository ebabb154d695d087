/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

const CARD = ".o_kanban_record:contains('Tour Onboarding Ltda')";
const column = (title) => `.o_kanban_group:has(.o_column_title:contains('${title}'))`;

registry.category("web_tour.tours").add("customer_success_onboarding_handoff", {
    steps: () => [
        {
            content: "The onboarding waits in Planning & goals",
            trigger: `${column("Planning")} ${CARD}`,
            run: `drag_and_drop (${column("Activation")})`,
        },
        {
            // draggable again once the move is saved: a card dropped while
            // the kanban still renders the last move is ignored by Odoo
            content: "It moved to Activation",
            trigger: `${column("Activation")} ${CARD}.o_draggable`,
            run: `drag_and_drop (${column("Hand-off")})`,
        },
        {
            content: "Open it from the Hand-off column",
            trigger: `${column("Hand-off")} ${CARD}`,
            run: "click",
        },
        {
            content: "Hand off",
            trigger: ".o_form_view button[name='action_open_handoff_wizard'].btn-primary",
            run: "click",
        },
        {
            content: "The ongoing CSM is proposed",
            trigger: ".modal .o_field_widget[name='csm_id'] input:value(Otávio Lima)",
        },
        {
            content: "Confirm the hand-off",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The hand-off document opens",
            trigger: ".o_form_view .o_field_widget[name='name']:contains('Hand-off of Tour Onboarding Ltda')",
        },
    ],
});
