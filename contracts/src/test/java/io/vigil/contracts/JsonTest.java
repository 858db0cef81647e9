package io.vigil.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void pingRoundTripsWithByteExactBody() {
        byte[] body = {(byte) 0xff, 0, 'o', 'k', (byte) 0x80};
        PingReceived ping = new PingReceived(PingReceived.SCHEMA, UUID.randomUUID(), UUID.randomUUID(),
                PingType.FAIL, 3, UUID.randomUUID(), Instant.parse("2026-11-23T10:15:30.123Z"), "POST", "https",
                "10.0.0.1", "curl/8", "text/plain", body, 5);

        PingsRecord read = Json.read(Json.write(ping), PingsRecord.class);

        assertThat(read).isInstanceOf(PingReceived.class);
        PingReceived back = (PingReceived) read;
        assertThat(back.body()).containsExactly(body);
        assertThat(back.type()).isEqualTo(PingType.FAIL);
        assertThat(back.receivedAt()).isEqualTo(ping.receivedAt());
        assertThat(new String(Json.write(ping))).contains("\"kind\":\"ping\"", "\"type\":\"fail\"");
    }

    @Test
    void createPingCarriesItsPingKeyAndSlugAndOldPingsReadWithout() {
        UUID key = UUID.randomUUID();
        UUID id = PingReceived.AutoCreate.monitorIdFor("nightly-backup");
        PingReceived ping = new PingReceived(PingReceived.SCHEMA, UUID.randomUUID(), id, PingType.SUCCESS, null, null,
                Instant.parse("2026-11-23T10:15:30.123Z"), "GET", "http", "10.0.0.1", "curl/8", null, null, 0,
                new PingReceived.AutoCreate(key, "nightly-backup"));

        PingReceived back = (PingReceived) Json.read(Json.write(ping), PingsRecord.class);

        assertThat(back.create()).isEqualTo(new PingReceived.AutoCreate(key, "nightly-backup"));
        assertThat(back.monitorId()).isEqualTo(id).isEqualTo(PingReceived.AutoCreate.monitorIdFor("nightly-backup"));
        String old = "{\"kind\":\"ping\",\"version\":1,\"eventId\":\"" + UUID.randomUUID() + "\",\"monitorId\":\""
                + UUID.randomUUID() + "\",\"type\":\"success\",\"receivedAt\":\"2026-11-23T10:15:30.123Z\",\"bodySize\":0}";
        assertThat(((PingReceived) Json.read(old.getBytes(), PingsRecord.class)).create()).isNull();
        assertThat(new String(Json.write(back.forMonitor(UUID.randomUUID())))).contains("\"create\":{");
    }

    @Test
    void pingKeyRecordIsTellableFromAMonitorRecord() {
        PingKeyRegistered key = new PingKeyRegistered(UUID.randomUUID(), TokenHash.of("secret"), 1);
        String json = new String(Json.write(key));
        assertThat(json).contains("\"" + PingKeyRegistered.DISCRIMINATOR + "\":");
        assertThat(Json.read(json.getBytes(), PingKeyRegistered.class)).isEqualTo(key);
        assertThat(Json.read(json.getBytes(), MonitorRegistered.class).monitorId()).isNull();
    }

    @Test
    void watermarkIsTellableFromAPing() {
        IngestWatermark mark = new IngestWatermark(1, "ingest-1", Instant.EPOCH, Instant.EPOCH.plusSeconds(5));
        assertThat(Json.read(Json.write(mark), PingsRecord.class)).isEqualTo(mark);
    }

    @Test
    void channelKeepsDurationsAsIsoStrings() {
        ChannelChanged channel = new ChannelChanged(UUID.randomUUID(), "ops", ChannelType.SLACK,
                Map.of("webhookUrl", "https://hooks.example/x"), List.of(Status.DOWN, Status.UP), Duration.ofHours(1), 3);
        String json = new String(Json.write(channel));
        assertThat(json).contains("\"remindEvery\":\"PT1H\"", "\"type\":\"slack\"");
        assertThat(Json.read(json.getBytes(), ChannelChanged.class)).isEqualTo(channel);
    }

    @Test
    void unknownFieldsAreIgnoredSoChangesStayAdditive() {
        String json = "{\"monitorId\":\"" + UUID.randomUUID() + "\",\"slug\":\"a\",\"tokenHash\":\"h\",\"version\":2,\"extra\":1}";
        assertThat(Json.read(json.getBytes(), MonitorRegistered.class).version()).isEqualTo(2);
    }

    @Test
    void aFlipWrittenBeforeDependenciesReadsAsNotHeld() {
        MonitorFlipped old = new MonitorFlipped(1, UUID.randomUUID(), 3, new MonitorFlipped.MonitorRef(UUID.randomUUID(), "a",
                "a", List.of()), Status.UP, Status.DOWN, "fail", "failure signal", Instant.EPOCH, Instant.EPOCH, null, null,
                "http://x", null, List.of());
        String json = new String(Json.write(old));
        assertThat(json).doesNotContain("suppressedBy", "releaseOf");
        MonitorFlipped back = Json.read(json.getBytes(), MonitorFlipped.class);
        assertThat(back).isEqualTo(old);
        assertThat(back.suppressedBy()).isNull();
        assertThat(back.releaseOf()).isNull();
    }

    @Test
    void aHeldFlipAndItsReleaseKeepTheirParentAndHeldFlip() {
        UUID parent = UUID.randomUUID();
        UUID held = UUID.randomUUID();
        MonitorFlipped release = new MonitorFlipped(1, UUID.randomUUID(), 3, new MonitorFlipped.MonitorRef(UUID.randomUUID(),
                "a", "a", List.of()), Status.UP, Status.DOWN, "fail", "failure signal (held while db was down)", Instant.EPOCH,
                Instant.EPOCH, null, null, "http://x", null, List.of(), parent, held);
        MonitorFlipped back = Json.read(Json.write(release), MonitorFlipped.class);
        assertThat(back.suppressedBy()).isEqualTo(parent);
        assertThat(back.releaseOf()).isEqualTo(held);
    }

    @Test
    void aDeliveryOutcomeWrittenBeforeDependenciesReadsAsNotSuppressed() {
        String json = "{\"version\":1,\"eventId\":\"" + UUID.randomUUID() + "\",\"deliveryId\":\"" + UUID.randomUUID()
                + "\",\"kind\":\"alert\",\"status\":\"SENT\",\"at\":\"2026-11-23T10:15:30.123Z\",\"outcome\":\"delivered\","
                + "\"durationMs\":5}";
        DeliveryAttempted back = Json.read(json.getBytes(), DeliveryAttempted.class);
        assertThat(back.suppressedBy()).isNull();
        assertThat(back.status()).isEqualTo("SENT");
    }

    @Test
    void malformedRecordIsAnIllegalArgument() {
        assertThatThrownBy(() -> Json.read("{".getBytes(), MonitorRegistered.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokenHashIsHexSha256() {
        assertThat(TokenHash.of("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(TokenHash.matches(TokenHash.of("x"), TokenHash.of("x"))).isTrue();
        assertThat(TokenHash.matches(TokenHash.of("x"), TokenHash.of("y"))).isFalse();
    }
}
