package io.vigil.evaluator.hc;

/**
 * An answer of the Healthchecks API other than success, in Healthchecks' own form: {@code {"error": "..."}} JSON,
 * a short plain text, or no body, with its status. {@link HcExceptionMapper} writes it.
 */
final class HcException extends RuntimeException {

    final int status;
    final String error;
    final String text;

    private HcException(int status, String error, String text) {
        super(error != null ? error : text, null, false, false);
        this.status = status;
        this.error = error;
        this.text = text;
    }

    /** {@code {"error": message}} with {@code status}. */
    static HcException error(int status, String message) {
        return new HcException(status, message, null);
    }

    /** A plain-text body, as Healthchecks' {@code HttpResponse("...", status=...)}. */
    static HcException text(int status, String text) {
        return new HcException(status, null, text);
    }

    /** No body: Healthchecks' bare 400, 403 and 404. */
    static HcException empty(int status) {
        return new HcException(status, null, null);
    }
}
