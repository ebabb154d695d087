/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

const MINE = "Cobrança Minha Ltda";
const THEIRS = "Cobrança Deles Ltda";

function onlyMine(where) {
    return {
        content: `${where}: the invoice of the portfolio, and no other`,
        trigger: `.o_list_view .o_data_row:contains('${MINE}')`,
        run() {
            const rows = [...document.querySelectorAll(".o_list_view .o_data_row")];
            if (rows.some((row) => row.textContent.includes(THEIRS))) {
                throw new Error(`${where} lists an invoice of another portfolio`);
            }
        },
    };
}

function openMenu(xmlid, name) {
    return [
        {
            content: "Open the Billing menu",
            trigger: "button[data-menu-xmlid='customer_success.customer_success_menu_billing']",
            run: "click",
        },
        {
            content: `Open ${name}`,
            trigger: `a[data-menu-xmlid='customer_success.${xmlid}']`,
            run: "click",
        },
    ];
}

const theInvoice = {
    content: "The invoice opens",
    trigger: `.o_form_view .o_field_widget[name='partner_id']:contains('${MINE}')`,
};

registry.category("web_tour.tours").add("customer_success_billing_access", {
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
            content: "The dunning block shows the portfolio's invoice only",
            trigger: ".o_cs_dunning_row:contains('Tour overdue notice'):contains('700')",
            run() {
                if (this.anchor.textContent.includes("1,600")) {
                    throw new Error("The dunning block counts another portfolio");
                }
            },
        },
        {
            content: "Open the invoices of the step",
            trigger: ".o_cs_dunning_row:contains('Tour overdue notice')",
            run: "click",
        },
        onlyMine("The dunning step"),
        ...openMenu("account_move_menu_dunning", "the invoices in dunning"),
        {
            content: "Open the group of the step",
            trigger: ".o_list_view .o_group_header:contains('Tour overdue notice')",
            run: "click",
        },
        onlyMine("Invoices in Dunning"),
        {
            content: "Open the invoice",
            trigger: `.o_list_view .o_data_row:contains('${MINE}') td.o_data_cell`,
            run: "click",
        },
        theInvoice,
        ...openMenu("cs_dunning_log_menu", "the dunning log"),
        {
            content: "Open the log of the invoice",
            trigger: `.o_list_view .o_data_row:contains('${MINE}') td.o_data_cell`,
            run: "click",
        },
        {
            content: "Follow the invoice link of the log",
            trigger: ".o_form_view .o_field_widget[name='move_id'] a",
            run: "click",
        },
        theInvoice,
        {
            content: "No error on the way",
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ],
});
