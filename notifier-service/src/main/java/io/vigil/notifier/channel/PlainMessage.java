package io.vigil.notifier.channel;

import io.vigil.notifier.DeliveryKind;
import io.vigil.notifier.Notification;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A notification as plain text (no markup, so nothing to escape) within a push provider's size limit: the summary,
 * the facts one a line, the link and the last ping body; a digest names as many monitors as fit, then "… and N more"
 * with the monitor list's link. The limit is counted by the provider's measure: {@link #CHARS} or {@link #UTF8_BYTES}.
 */
public final class PlainMessage {

    /** Measures text in code points (characters as people count them). */
    public static final ToIntFunction<String> CHARS = text -> text.codePointCount(0, text.length());

    /** Measures text in UTF-8 bytes. */
    public static final ToIntFunction<String> UTF8_BYTES = text -> text.getBytes(StandardCharsets.UTF_8).length;

    private static final String BODY_HEADING = "\n\nLast ping body:\n";

    private PlainMessage() {
    }

    /** The text of {@code n}, at most {@code limit} by {@code measure}. */
    public static String of(Notification n, int limit, ToIntFunction<String> measure) {
        if (n.kind() == DeliveryKind.DIGEST) {
            return digest(n, limit, measure);
        }
        StringBuilder text = new StringBuilder(n.summary());
        for (String[] fact : n.facts()) {
            text.append('\n').append(fact[0]).append(": ").append(fact[1]);
        }
        if (n.link() != null) {
            text.append("\nLink: ").append(n.link());
        }
        String head = text.toString();
        String body = n.lastPingBody();
        if (body == null || body.isEmpty()) {
            return cut(head, limit, measure);
        }
        int room = limit - measure.applyAsInt(head) - measure.applyAsInt(BODY_HEADING);
        if (room < 20) {
            return cut(head, limit, measure);
        }
        return head + BODY_HEADING + cut(body, room, measure);
    }

    /** A digest: one line per monitor while they fit, then how many more, with where to see them. */
    private static String digest(Notification n, int limit, ToIntFunction<String> measure) {
        List<Notification.Entry> entries = n.entries();
        String list = n.monitorListLink();
        String reserve = more(entries.size(), list);
        StringBuilder text = new StringBuilder();
        int named = 0;
        for (Notification.Entry entry : entries) {
            String line = (named == 0 ? "" : "\n") + "• " + Notification.cut(entry.monitorName(), Notification.NAME_LIMIT)
                    + " is " + entry.status() + (entry.reasonText() == null ? "" : ": " + Notification.cut(entry.reasonText(), 200))
                    + " (" + Notification.readable(entry.occurredAt()) + ")";
            boolean last = named == entries.size() - 1;
            int needed = measure.applyAsInt(text.toString()) + measure.applyAsInt(line) + (last ? 0 : measure.applyAsInt(reserve));
            if (needed > limit) {
                break;
            }
            text.append(line);
            named++;
        }
        if (named < entries.size()) {
            text.append(more(entries.size() - named, list));
        }
        return cut(text.toString(), limit, measure);
    }

    private static String more(int count, String list) {
        return "\n… and " + count + " more" + (list == null ? "" : ": " + list);
    }

    /** {@code text} cut to at most {@code limit} by {@code measure}, ending in an ellipsis when cut. */
    public static String cut(String text, int limit, ToIntFunction<String> measure) {
        if (measure.applyAsInt(text) <= limit) {
            return text;
        }
        int low = 0;
        int high = text.codePointCount(0, text.length());
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (measure.applyAsInt(prefix(text, mid) + "…") <= limit) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return prefix(text, low) + "…";
    }

    private static String prefix(String text, int codePoints) {
        return text.substring(0, text.offsetByCodePoints(0, codePoints));
    }
}
