package io.vigil.evaluator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A person who signs in to the web console. Only a bcrypt hash of the password is stored. {@code full} users may
 * change anything; {@code read-only} users see what a read-only API key sees, never a ping token or URL.
 */
@Entity
@Table(name = "console_user")
public class ConsoleUser extends PanacheEntityBase {

    @Id
    public UUID id;

    public String username;

    @Column(name = "password_hash")
    public String passwordHash;

    /** {@link ApiKey#FULL} or {@link ApiKey#READ_ONLY}. */
    public String access;

    @Column(name = "created_at")
    public Instant createdAt;

    /** Consecutive failed sign-ins since the last success. */
    @Column(name = "failed_sign_ins")
    public int failedSignIns;

    /** Sign-in is refused until then, after too many failures in a row. */
    @Column(name = "locked_until")
    public Instant lockedUntil;

    public boolean isFull() {
        return ApiKey.FULL.equals(access);
    }

    public static ConsoleUser findByUsername(String username) {
        return find("lower(username) = lower(?1)", username).firstResult();
    }
}
