package io.vigil.evaluator.rest;

import io.vigil.evaluator.ApiKey;
import io.vigil.evaluator.service.Users;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/**
 * Who the current request comes from: the API key it was authenticated with, or the console user signed in with its
 * session cookie (set by {@link ApiKeyFilter}).
 */
@RequestScoped
public class Caller {

    private ApiKey key;
    private Users.SignedIn user;

    void authenticated(ApiKey key) {
        this.key = key;
    }

    void signedIn(Users.SignedIn user) {
        this.user = user;
    }

    /** True for a full key or user: they may write and see ping tokens, ping URLs and badge URLs. */
    public boolean full() {
        return (key != null && key.isFull()) || (user != null && user.full());
    }

    /** Refuses the request (403, {@code reason}) unless it comes from a full key or user. */
    public void requireFull(String reason) {
        if (!full()) {
            throw new AccessDeniedException(403, reason);
        }
    }

    /** The console user, when the request came with a valid session cookie. */
    public Optional<Users.SignedIn> user() {
        return Optional.ofNullable(user);
    }
}
