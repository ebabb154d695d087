/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("customer_success_helpdesk_support", {
    steps: () => [
        {
            content: "The customer's button counts its open tickets",
            trigger: ".o_form_view button[name='action_cs_view_tickets'] .o_stat_value:contains('2')",
        },
        {
            content: "The health banner says why: an urgent ticket is open",
            trigger: ".o_cs_health_banner:contains('1 urgent ticket open')",
        },
        {
            content: "Open the Support tab",
            trigger: ".o_notebook a[name='customer_success_support']",
            run: "click",
        },
        {
            content: "The urgent ticket is there, in red",
            trigger: ".o_field_widget[name='cs_ticket_ids'] .o_data_row.text-danger:contains('Painel fora do ar')",
        },
        {
            content: "Open it",
            trigger: ".o_field_widget[name='cs_ticket_ids'] .o_data_row:contains('Painel fora do ar') td.o_data_cell",
            run: "click",
        },
        {
            content: "The ticket opens, read only, with its description",
            trigger: ".modal .o_form_view:contains('O painel não abre desde cedo.')",
        },
        {
            content: "Close it",
            trigger: ".modal .modal-footer button:contains('Close')",
            run: "click",
        },
        {
            content: "All the tickets of the customer",
            trigger: ".o_notebook button[name='action_cs_view_tickets']",
            run: "click",
        },
        {
            content: "The list of its open tickets, not the other customer's",
            trigger:
                ".o_list_view:has(.o_data_row:contains('Painel fora do ar')):has(.o_data_row:contains('Relatório lento')):not(:has(.o_data_row:contains('Outro cliente')))",
        },
    ],
});
