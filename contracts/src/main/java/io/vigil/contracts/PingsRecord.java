package io.vigil.contracts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A value on {@link Topics#PINGS}: either a received ping or an ingest watermark. The JSON carries
 * {@code "kind":"ping"} or {@code "kind":"watermark"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = PingReceived.class, name = "ping"),
        @JsonSubTypes.Type(value = IngestWatermark.class, name = "watermark")
})
public sealed interface PingsRecord permits PingReceived, IngestWatermark {
}
