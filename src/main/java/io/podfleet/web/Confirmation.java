package io.podfleet.web;

import org.springframework.ui.Model;

import java.util.Map;

/**
 * Every operator action asks first: the action's form posts without {@code confirm}, and gets back a page that says
 * what will change and posts the same fields again with {@code confirm=yes}. Works without JavaScript.
 */
final class Confirmation {

    private Confirmation() {
    }

    static boolean given(String confirm) {
        return "yes".equals(confirm);
    }

    /** Fills the confirmation page; {@code fields} are posted again unchanged. */
    static String ask(Model model, String question, String action, Map<String, String> fields, String cancel) {
        model.addAttribute("question", question);
        model.addAttribute("action", action);
        model.addAttribute("fields", fields);
        model.addAttribute("cancel", cancel);
        return "confirm";
    }
}
