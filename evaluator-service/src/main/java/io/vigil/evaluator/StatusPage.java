package io.vigil.evaluator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A public status page (table {@code status_page}): a title and the monitors it shows, listed in {@link #monitorIds}
 * or selected by any of {@link #tags} (the union). Served without an API key at {@code /status/{slug}}, so only the
 * monitors' names and statuses are ever shown from it. Written through {@code /api/v1/status-pages}.
 */
@Entity
@Table(name = "status_page")
public class StatusPage extends PanacheEntityBase {

    @Id
    public UUID id;

    /** The page's public name in its URL: 1 to 64 of [a-z0-9-], unique. */
    public String slug;

    public String title;

    public String description;

    /** The monitors listed explicitly, in the page's order; a deleted monitor's id may linger and is skipped. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "monitor_ids")
    public List<UUID> monitorIds = new ArrayList<>();

    /** Every monitor with any of these tags is shown too (after the listed ones). */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> tags = new ArrayList<>();

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static StatusPage findBySlug(String slug) {
        return find("slug", slug).firstResult();
    }
}
