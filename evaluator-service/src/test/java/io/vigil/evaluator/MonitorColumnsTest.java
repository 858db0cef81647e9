package io.vigil.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.Column;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The engine's column list and the entity's mapping of {@code monitor_state} never drift apart. */
class MonitorColumnsTest {

    @Test
    void theEngineColumnsAreEveryStateColumnTheEntityMaps() {
        Set<String> listed = new HashSet<>();
        Monitor.ENGINE_COLUMNS.forEach(c -> listed.add(c.name()));
        assertThat(listed).hasSize(Monitor.ENGINE_COLUMNS.size());

        Set<String> mapped = new HashSet<>();
        for (Field field : Monitor.class.getFields()) {
            Column column = field.getAnnotation(Column.class);
            if (column != null && Monitor.STATE.equals(column.table())) {
                mapped.add(column.name().isEmpty() ? field.getName() : column.name());
            }
        }
        mapped.remove("kafka_partition"); // fixed at creation, never the engine's to change
        assertThat(mapped).isNotEmpty();
        assertThat(listed).isEqualTo(mapped);
    }
}
