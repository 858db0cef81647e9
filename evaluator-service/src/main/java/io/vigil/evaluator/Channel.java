package io.vigil.evaluator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.vigil.contracts.ChannelType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A notification channel (email, Slack, Teams or webhook). Its {@code config} is kept unmasked as JSON
 * text: the notifier needs the real webhook URLs and secrets; the admin API masks them in answers.
 */
@Entity
@Table(name = "channel")
public class Channel extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    @Enumerated(EnumType.STRING)
    public ChannelType type;

    /** The type's settings as a JSON object, unmasked. */
    public String config;

    /** Statuses alerted about: {@code DOWN}, {@code UP}, {@code LATE}. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "notify_on")
    public List<String> notifyOn = new ArrayList<>();

    @Column(name = "remind_every_ms")
    public Long remindEveryMs;

    /** Grows with every change; orders the records the notifier sees. */
    public long version;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
