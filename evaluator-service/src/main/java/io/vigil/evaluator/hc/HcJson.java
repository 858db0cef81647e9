package io.vigil.evaluator.hc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.contracts.ChannelType;
import io.vigil.contracts.Status;
import io.vigil.evaluator.Channel;
import io.vigil.evaluator.Flip;
import io.vigil.evaluator.Monitor;
import io.vigil.evaluator.PingRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

/**
 * The JSON of the Healthchecks API, field for field as Healthchecks' {@code Check.to_dict}, {@code Ping.to_dict},
 * {@code Flip.to_dict} and {@code Channel.to_dict} write it (their key order too; times as Python's
 * {@code isoformat()} of a UTC datetime).
 *
 * @param version   1, 2 or 3: the URLs point back into the version asked, and v1 says {@code started} while running
 * @param publicUrl the ping service's base URL
 * @param adminUrl  this service's base URL
 */
record HcJson(int version, String publicUrl, String adminUrl) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    HcJson {
        publicUrl = trimSlash(publicUrl);
        adminUrl = trimSlash(adminUrl);
    }

    /** A check; a read-only answer carries {@code unique_key} instead of the uuid, the URLs and the channels. */
    ObjectNode check(Monitor m, HcCheck f, boolean readonly) {
        ObjectNode o = NODES.objectNode();
        o.put("name", m.name);
        o.put("slug", m.slug);
        o.put("tags", HcChecks.tags(m, f));
        o.put("desc", m.description == null ? "" : m.description);
        o.put("grace", m.graceMs / 1000);
        o.put("n_pings", m.pingCount);
        o.put("status", status(m));
        o.put("started", m.running);
        o.put("last_ping", isoSeconds(m.lastPingAt));
        o.put("next_ping", isoSeconds(nextPing(m)));
        o.put("manual_resume", m.manualResume);
        o.put("methods", f.methods);
        o.put("subject", f.filterSubject ? f.successKw : "");
        o.put("subject_fail", f.filterSubject ? f.failureKw : "");
        o.put("start_kw", f.startKw);
        o.put("success_kw", f.successKw);
        o.put("failure_kw", f.failureKw);
        o.put("filter_subject", f.filterSubject);
        o.put("filter_body", f.filterBody);
        o.put("filter_http_body", f.filterHttpBody);
        o.put("filter_default_fail", f.filterDefaultFail);
        o.put("badge_url", adminUrl + "/badge/" + m.badgeId + ".svg");
        if (m.lastDurationMs != null && m.lastDurationMs > 0) {
            o.put("last_duration", m.lastDurationMs / 1000);
        }
        if (readonly) {
            o.put("unique_key", HcChecks.uniqueKey(m.id));
        } else {
            String updateUrl = checkUrl(m.id);
            o.put("uuid", m.id.toString());
            o.put("ping_url", publicUrl + "/ping/" + m.token);
            o.put("update_url", updateUrl);
            o.put("pause_url", updateUrl + "/pause");
            o.put("resume_url", updateUrl + "/resume");
            o.put("channels", String.join(",", m.channelIds.stream().map(UUID::toString).sorted().toList()));
        }
        if ("cron".equals(m.scheduleType)) {
            o.put("schedule", m.cronExpression);
            o.put("tz", m.timezone == null ? "UTC" : m.timezone);
        } else {
            o.put("timeout", m.everyMs / 1000);
        }
        return o;
    }

    /** A kept ping. */
    ObjectNode ping(UUID check, PingRecord p) {
        ObjectNode o = NODES.objectNode();
        o.put("type", p.ignored ? "ign" : p.type);
        o.put("date", isoMicros(p.receivedAt));
        o.put("n", p.n);
        o.put("scheme", p.scheme);
        o.put("remote_addr", p.remoteAddr);
        o.put("method", p.method);
        o.put("ua", p.userAgent == null ? "" : p.userAgent);
        o.put("rid", p.rid == null ? null : p.rid.toString());
        if (p.durationMs != null && !p.ignored) {
            // Python's round(seconds, 2) of the float: rounds the double's exact value, as BigDecimal(double) holds it
            o.put("duration", new BigDecimal(p.durationMs / 1000.0).setScale(2, RoundingMode.HALF_EVEN).doubleValue());
        }
        o.put("body_url", p.bodySize > 0 ? checkUrl(check) + "/pings/" + p.n + "/body" : null);
        return o;
    }

    /** A status change: {@code up} is 1 for a change to UP, else 0. */
    static ObjectNode flip(Flip flip) {
        ObjectNode o = NODES.objectNode();
        o.put("timestamp", isoSeconds(flip.at));
        o.put("up", flip.toStatus == Status.UP ? 1 : 0);
        return o;
    }

    /** A channel, its kind named as Healthchecks names it. */
    static ObjectNode channel(Channel channel) {
        ObjectNode o = NODES.objectNode();
        o.put("id", channel.id.toString());
        o.put("name", channel.name);
        o.put("kind", kind(channel.type));
        return o;
    }

    /** Healthchecks' name of a channel kind. */
    static String kind(ChannelType type) {
        return switch (type.name()) {
            case "TEAMS" -> "msteamsw";
            case "PAGERDUTY" -> "pd";
            case "PUSHOVER" -> "po";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }

    String checkUrl(UUID id) {
        return adminUrl + "/hc/api/v" + version + "/checks/" + id;
    }

    /** new, up, grace (Vigil's LATE), down or paused; in v1 a running check that is not down is {@code started}. */
    String status(Monitor m) {
        if (version == 1 && m.running && m.status != Status.DOWN) {
            return "started";
        }
        return switch (m.status) {
            case NEW -> "new";
            case UP -> "up";
            case LATE -> "grace";
            case DOWN -> "down";
            case PAUSED -> "paused";
            default -> m.status.name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Healthchecks' {@code next_ping}, the start of grace: the due time of an UP or LATE check, or the start of its
     * run when that is earlier (Healthchecks counts grace from a start); null when new, paused or down.
     */
    private static Instant nextPing(Monitor m) {
        Instant due = m.status == Status.UP || m.status == Status.LATE ? m.dueAt : null;
        if (m.running && m.runStartedAt != null && m.status != Status.DOWN) {
            return due == null || m.runStartedAt.isBefore(due) ? m.runStartedAt : due;
        }
        return due;
    }

    /** Python's {@code dt.replace(microsecond=0).isoformat()} of a UTC time. */
    static String isoSeconds(Instant at) {
        return at == null ? null : SECONDS.format(at) + "+00:00";
    }

    /** Python's {@code dt.isoformat()} of a UTC time: microseconds only when there are some. */
    static String isoMicros(Instant at) {
        if (at == null) {
            return null;
        }
        int micros = at.truncatedTo(ChronoUnit.MICROS).getNano() / 1000;
        return SECONDS.format(at) + (micros == 0 ? "" : String.format(Locale.ROOT, ".%06d", micros)) + "+00:00";
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
