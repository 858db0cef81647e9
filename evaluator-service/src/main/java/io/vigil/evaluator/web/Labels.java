package io.vigil.evaluator.web;

import java.util.Locale;

/** A field's name as a form's label says it: {@code webhookUrl} is "Webhook URL", {@code chatId} is "Chat ID". */
final class Labels {

    private Labels() {
    }

    static String of(String field) {
        String words = field.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        words = (" " + words + " ").replace(" url ", " URL ").replace(" id ", " ID ").replace(" api ", " API ").strip();
        return words.isEmpty() ? field : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
