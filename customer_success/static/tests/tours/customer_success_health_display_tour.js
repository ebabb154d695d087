/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

const NEVER = ".o_kanban_record:contains('Sem Nota Ltda')";
const YELLOW = ".o_kanban_record:contains('Amarelo Hospedagem')";

registry.category("web_tour.tours").add("customer_success_health_display", {
    steps: () => [
        {
            content: "A customer never scored shows Not scored yet on its card",
            trigger: `${NEVER} .o_cs_kanban_health .badge:contains('Not scored yet')`,
        },
        {
            content: "... and no score of 0",
            trigger: `${NEVER} .o_cs_kanban_health:not(:has([name='health_score']))`,
        },
        {
            content: "A yellow customer shows Attention and its score",
            trigger: `${YELLOW} .o_cs_kanban_health:has(.badge.text-bg-warning:contains('Attention')):contains('62.0')`,
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list shows Not scored yet",
            trigger: ".o_data_row:contains('Sem Nota Ltda') td[name='health_status']:contains('Not scored yet')",
        },
        {
            content: "... and an empty score, not 0",
            trigger: ".o_data_row:contains('Sem Nota Ltda') td[name='health_score']",
            run() {
                const text = this.anchor.textContent.trim();
                if (text) {
                    throw new Error(`A customer never scored shows the score "${text}"`);
                }
            },
        },
        {
            content: "Open the yellow customer",
            trigger: ".o_data_row:contains('Amarelo Hospedagem') td[name='complete_name']",
            run: "click",
        },
        {
            content: "Its banner is the yellow Attention one, with its reasons",
            trigger: ".o_form_view .o_cs_health_banner.alert-warning:contains('Attention'):contains('NPS detractor (4)')",
        },
        {
            content: "... and not the red At risk one",
            trigger: ".o_form_view:not(:has(.alert-danger:contains('At risk')))",
        },
    ],
});
