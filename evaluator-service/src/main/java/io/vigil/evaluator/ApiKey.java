package io.vigil.evaluator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An admin API key: only the SHA-256 of its secret is stored; the secret is shown once, when the key is
 * created. {@code full} keys may change anything, {@code read-only} keys only read (and never see ping
 * tokens or ping URLs).
 */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {

    /** The JSON and database form of full access. */
    public static final String FULL = "full";
    /** The JSON and database form of read-only access. */
    public static final String READ_ONLY = "read-only";

    @Id
    public UUID id;

    public String name;

    /** {@link #FULL} or {@link #READ_ONLY}. */
    public String access;

    @Column(name = "key_hash")
    public String keyHash;

    @Column(name = "created_at")
    public Instant createdAt;

    public boolean isFull() {
        return FULL.equals(access);
    }

    public static long countFull() {
        return count("access", FULL);
    }

    public static ApiKey findByHash(String keyHash) {
        return find("keyHash", keyHash).firstResult();
    }

    /** Every key, for a constant-time comparison against each of them. */
    public static List<ApiKey> all() {
        return listAll();
    }
}
