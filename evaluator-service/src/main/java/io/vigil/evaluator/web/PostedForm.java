package io.vigil.evaluator.web;

import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;

/**
 * Every field of the console form being posted, for forms whose field names depend on what they edit (a channel's
 * {@code config.<field>}). The body was read before the endpoint ran ({@link ConsoleFilter#checkForm}).
 */
final class PostedForm {

    private final Map<String, List<String>> fields;

    private PostedForm(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    /** The form of the request being served (empty when it has none). */
    static PostedForm current() {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        FormData data = CurrentRequestManager.get() == null ? null : CurrentRequestManager.get().getFormData();
        if (data != null) {
            for (String name : data) {
                Deque<FormValue> values = data.get(name);
                List<String> texts = new ArrayList<>();
                if (values != null) {
                    for (FormValue value : values) {
                        if (!value.isFileItem() && value.getValue() != null) {
                            texts.add(value.getValue());
                        }
                    }
                }
                fields.put(name, texts);
            }
        }
        return new PostedForm(fields);
    }

    /** The field's first value; "" when it was not sent. */
    String text(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    /** Every value of the field (checkboxes): none when it was not sent. */
    List<String> all(String name) {
        return fields.getOrDefault(name, List.of());
    }
}
