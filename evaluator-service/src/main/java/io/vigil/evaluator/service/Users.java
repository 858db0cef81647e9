package io.vigil.evaluator.service;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vigil.contracts.TokenHash;
import io.vigil.evaluator.ApiKey;
import io.vigil.evaluator.ConsoleSession;
import io.vigil.evaluator.ConsoleUser;
import io.vigil.evaluator.config.AdminApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Console users and their sessions: creation, listing and deletion (the {@code /api/v1/users} API and the console's
 * users page), sign-in with a lockout after repeated failures, and the {@code VIGIL_ADMIN_USER} recovery path.
 *
 * <p>A session is a random cookie value of which only the SHA-256 is stored, with the CSRF token its forms carry;
 * it lasts {@code VIGIL_SESSION_TTL} and ends at sign-out or when its user is deleted.
 */
@ApplicationScoped
public class Users {

    /** The shortest password accepted. */
    public static final int MIN_PASSWORD_LENGTH = 12;

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    /** The PostgreSQL advisory lock that serialises {@link #ensureAdminUser()} across instances. */
    private static final long BOOTSTRAP_LOCK = 130195078605908L;
    /** Checked against when the username is unknown, so the answer takes as long as for a known one. */
    private static final String NOBODY = BcryptUtil.bcryptHash(Secrets.generate());

    /** A user as a session sees it; detached from any persistence context. */
    public record SignedIn(UUID userId, String username, boolean full, String csrf) {
    }

    /** The outcome of a sign-in: a session (its cookie value), or why not. */
    public sealed interface SignInResult {
        record Success(String token, SignedIn user) implements SignInResult {
        }

        record Refused(String reason) implements SignInResult {
        }
    }

    private final AdminApiConfig config;
    private final InstantSource clock;

    public Users(AdminApiConfig config, InstantSource clock) {
        this.config = config;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent start) {
        ensureAdminUser();
    }

    /**
     * Ensures {@code VIGIL_ADMIN_USER} exists as a full user with {@code VIGIL_ADMIN_PASSWORD} (run at every start, so
     * a forgotten password or a lockout is recovered by restarting with both set).
     */
    @Transactional
    public void ensureAdminUser() {
        Optional<String> username = config.adminUser().filter(name -> !name.isBlank()).map(String::strip);
        Optional<String> password = config.adminPassword().filter(secret -> !secret.isBlank());
        if (username.isEmpty() || password.isEmpty()) {
            if (username.isPresent() != password.isPresent()) {
                Log.warn("VIGIL_ADMIN_USER and VIGIL_ADMIN_PASSWORD must be set together; no console user was ensured");
            }
            return;
        }
        if (!USERNAME.matcher(username.get()).matches()) {
            throw new IllegalStateException("VIGIL_ADMIN_USER must be 1 to 64 letters, digits or . _ @ -");
        }
        if (password.get().length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalStateException("VIGIL_ADMIN_PASSWORD is " + password.get().length()
                    + " characters long; it must be at least " + MIN_PASSWORD_LENGTH + ". The evaluator does not start with a short password.");
        }
        Panache.getEntityManager().createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(?1)")
                .setParameter(1, BOOTSTRAP_LOCK).getSingleResult();
        ConsoleUser user = ConsoleUser.findByUsername(username.get());
        if (user == null) {
            user = newUser(username.get(), password.get(), ApiKey.FULL);
            user.persist();
            Log.infof("Console user %s created from VIGIL_ADMIN_USER", user.username);
            return;
        }
        if (!BcryptUtil.matches(password.get(), user.passwordHash)) {
            user.passwordHash = BcryptUtil.bcryptHash(password.get());
        }
        user.access = ApiKey.FULL;
        user.failedSignIns = 0;
        user.lockedUntil = null;
    }

    @Transactional
    public ConsoleUser create(String username, String password, String access) {
        List<FieldError> errors = new ArrayList<>();
        if (username == null || !USERNAME.matcher(username).matches()) {
            errors.add(new FieldError("username", "must be 1 to 64 letters, digits or . _ @ -"));
        }
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            errors.add(new FieldError("password", "must be at least " + MIN_PASSWORD_LENGTH + " characters long"));
        } else if (password.length() > 200) {
            errors.add(new FieldError("password", "must be at most 200 characters long"));
        }
        if (!ApiKey.FULL.equals(access) && !ApiKey.READ_ONLY.equals(access)) {
            errors.add(new FieldError("access", "must be \"full\" or \"read-only\""));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The request has invalid fields.", errors);
        }
        if (ConsoleUser.findByUsername(username) != null) {
            throw new ConflictException("A user named " + username + " exists already.",
                    List.of(new FieldError("username", "is taken")));
        }
        ConsoleUser user = newUser(username, password, access);
        user.persist();
        Log.infof("Console user %s (%s) created", user.username, access);
        return user;
    }

    /** Users by creation time. */
    @Transactional
    public Pages.Page<ConsoleUser> page(Pages.Cursor after, int limit) {
        List<ConsoleUser> fetched = after == null
                ? ConsoleUser.find("order by createdAt, id").page(0, limit + 1).list()
                : ConsoleUser.find("createdAt > ?1 or (createdAt = ?1 and id > ?2) order by createdAt, id",
                        after.at(), after.id()).page(0, limit + 1).list();
        return Pages.of(fetched, limit, user -> Pages.Cursor.of(user.createdAt, user.id));
    }

    /** Deletes a user; their sessions end with them. */
    @Transactional
    public void delete(UUID id) {
        if (!ConsoleUser.deleteById(id)) {
            throw new NotFoundException("No user with id " + id + ".");
        }
        Log.infof("Console user %s deleted", id);
    }

    /**
     * Checks a username and password. {@code VIGIL_SIGN_IN_ATTEMPTS} failures in a row lock the user out for
     * {@code VIGIL_SIGN_IN_LOCKOUT}, even with the right password; a success resets the count.
     */
    @Transactional(dontRollbackOn = RuntimeException.class)
    public SignInResult signIn(String username, String password) {
        Instant now = clock.instant();
        ConsoleUser user = username == null || username.isBlank() ? null
                : ConsoleUser.find("lower(username) = lower(?1)", username.strip())
                        .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResult();
        String candidate = password == null ? "" : password.strip(); // as stored: the API strips every text field
        if (user == null) {
            BcryptUtil.matches(candidate, NOBODY);
            return new SignInResult.Refused("The username or password is not right.");
        }
        if (user.lockedUntil != null && now.isBefore(user.lockedUntil)) {
            return new SignInResult.Refused(locked(user));
        }
        if (!BcryptUtil.matches(candidate, user.passwordHash)) {
            user.failedSignIns++;
            if (user.failedSignIns >= config.signInAttempts()) {
                user.lockedUntil = now.plus(config.signInLockout());
                user.failedSignIns = 0;
                Log.warnf("Console user %s locked out until %s after %d failed sign-ins", user.username, user.lockedUntil,
                        config.signInAttempts());
                return new SignInResult.Refused(locked(user));
            }
            return new SignInResult.Refused("The username or password is not right.");
        }
        user.failedSignIns = 0;
        user.lockedUntil = null;
        ConsoleSession.delete("expiresAt < ?1", now);
        String token = Secrets.generate() + Secrets.generate();
        ConsoleSession session = new ConsoleSession();
        session.tokenHash = TokenHash.of(token);
        session.userId = user.id;
        session.csrf = Secrets.generate();
        session.createdAt = now.truncatedTo(ChronoUnit.MICROS);
        session.expiresAt = session.createdAt.plus(config.sessionTtl());
        session.persist();
        return new SignInResult.Success(token, new SignedIn(user.id, user.username, user.isFull(), session.csrf));
    }

    private String locked(ConsoleUser user) {
        return "Too many failed sign-ins: " + user.username + " is locked out until "
                + user.lockedUntil.truncatedTo(ChronoUnit.SECONDS) + " (UTC).";
    }

    /** The user signed in with this cookie value, if the session exists and has not expired. */
    @Transactional
    public Optional<SignedIn> session(String token) {
        ConsoleSession session = ConsoleSession.findById(TokenHash.of(token));
        if (session == null || !clock.instant().isBefore(session.expiresAt)) {
            return Optional.empty();
        }
        ConsoleUser user = ConsoleUser.findById(session.userId);
        return user == null ? Optional.empty() : Optional.of(new SignedIn(user.id, user.username, user.isFull(), session.csrf));
    }

    /** Ends the session with this cookie value (nothing happens for an unknown one). */
    @Transactional
    public void signOut(String token) {
        ConsoleSession.deleteById(TokenHash.of(token));
    }

    private ConsoleUser newUser(String username, String password, String access) {
        ConsoleUser user = new ConsoleUser();
        user.id = UUID.randomUUID();
        user.username = username;
        user.passwordHash = BcryptUtil.bcryptHash(password);
        user.access = access;
        user.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return user;
    }
}
