/* Copyright 2026 customer_success contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

// A contact answers the NPS survey from the link of the invitation e-mail.
registry.category("web_tour.tours").add("customer_success_nps_answer", {
    steps: () => [
        {
            content: "Start the survey",
            trigger: "button.btn:contains('Start')",
            run: "click",
        },
        {
            content: "Answer 9 to the recommendation question",
            trigger:
                "div.js_question-wrapper:contains('recommend us') label.o_survey_choice_btn:contains('9')",
            run: "click",
        },
        {
            content: "Say why",
            trigger: "div.js_question-wrapper:contains('Why?') textarea",
            run: "edit O suporte resolve tudo no mesmo dia",
        },
        {
            content: "Submit",
            trigger: "button[value='finish']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button:contains('Submit')",
            run: "click",
        },
        {
            content: "The survey thanks the contact",
            trigger: ".o_survey_finished",
        },
    ],
});

// The success manager finds the answer on the customer.
registry.category("web_tour.tours").add("customer_success_nps_on_customer", {
    steps: () => [
        {
            content: "The customer shows its last NPS score",
            trigger: ".oe_stat_button:contains('Last NPS') .o_stat_value:contains('9')",
        },
        {
            content: "Open the health and NPS tab",
            trigger: ".o_notebook_headers a:contains('Health and NPS')",
            run: "click",
        },
        {
            content: "The customer is a promoter",
            trigger: "div[name='nps_last_category']:contains('Promoter')",
        },
        {
            content: "Open the NPS answers",
            trigger: ".oe_stat_button:contains('Last NPS')",
            run: "click",
        },
        {
            content: "The answer and its comment are listed",
            trigger: ".o_data_row:contains('O suporte resolve tudo no mesmo dia')",
        },
    ],
});
