package io.vigil.notifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A Kafka record that cannot be parsed, on its way to the dead-letter table: where it was read, what it
 * held and why it was set aside. {@code payload} may hold a channel's unmasked config: never log it.
 */
public record RejectedRecord(String topic, int partition, long offset, String key, byte[] payload, String reason) {

    /** The record, set aside for {@code reason}. */
    public static RejectedRecord of(ConsumerRecord<String, byte[]> record, String reason) {
        return new RejectedRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value(), reason);
    }

    /**
     * Why a record could not be read as {@code what}: the parser's error type and position, never the record's
     * text (it may hold a ping body or a channel's secrets).
     */
    public static String malformed(String what, IllegalArgumentException e) {
        if (e.getCause() instanceof JsonProcessingException json && json.getLocation() != null) {
            return "not a " + what + " record: " + json.getClass().getSimpleName() + " at line " + json.getLocation().getLineNr()
                    + ", column " + json.getLocation().getColumnNr();
        }
        return "not a " + what + " record: " + (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName();
    }

    /** Where the record was read, for logs: {@code topic-partition@offset}. */
    public String position() {
        return topic + "-" + partition + "@" + offset;
    }
}
