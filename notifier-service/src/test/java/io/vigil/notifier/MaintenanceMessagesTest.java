package io.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.contracts.MonitorFlipped;
import io.vigil.contracts.Status;
import io.vigil.notifier.channel.opsgenie.OpsgenieSender;
import io.vigil.notifier.channel.pagerduty.PagerDutySender;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a MAINTENANCE flip and a window's end read: neutral, never a problem, and no incident in incident tools. */
class MaintenanceMessagesTest {

    private static Notification alert(Status from, Status to, String reason, String text) {
        Instant at = Instant.parse("2026-11-28T01:00:00Z");
        MonitorFlipped flip = new MonitorFlipped(MonitorFlipped.SCHEMA, UUID.randomUUID(), 2,
                new MonitorFlipped.MonitorRef(UUID.randomUUID(), "db-backup", "db-backup", List.of("prod")), from, to, reason,
                text, at, at, at.minusSeconds(60), null, "http://localhost:8081/api/v1/monitors/x", null, List.of());
        return Notification.of(UUID.randomUUID(), DeliveryKind.ALERT, flip);
    }

    @Test
    void maintenanceIsBlueAndSaysInMaintenance() {
        Notification n = alert(Status.DOWN, Status.MAINTENANCE, "maintenance", "maintenance window until 2026-11-28 03:00:00Z");
        assertThat(n.colour()).isEqualTo("#3b82f6");
        assertThat(n.problem()).isFalse();
        assertThat(n.title()).isEqualTo("MAINTENANCE | db-backup");
        assertThat(n.summary()).isEqualTo("db-backup is in maintenance: maintenance window until 2026-11-28 03:00:00Z");
    }

    @Test
    void incidentToolsResolveOnMaintenanceAndAtTheWindowsEnd() {
        Notification entered = alert(Status.DOWN, Status.MAINTENANCE, "maintenance", "maintenance window");
        Notification ended = alert(Status.MAINTENANCE, Status.NEW, "maintenance-ended", "maintenance window ended");
        assertThat(PagerDutySender.event("key", UUID.randomUUID(), entered)).contains("\"event_action\":\"resolve\"");
        assertThat(PagerDutySender.event("key", UUID.randomUUID(), ended)).contains("\"event_action\":\"resolve\"");
        assertThat(OpsgenieSender.closes(entered)).isTrue();
        assertThat(OpsgenieSender.closes(ended)).isTrue();
        assertThat(OpsgenieSender.closes(alert(Status.UP, Status.DOWN, "missed", "missed"))).isFalse();
    }
}
