package io.vigil.evaluator.rest;

import io.vigil.evaluator.ApiKey;
import jakarta.enterprise.context.RequestScoped;

/** The API key the current request was authenticated with (set by {@link ApiKeyFilter}). */
@RequestScoped
public class Caller {

    private ApiKey key;

    void authenticated(ApiKey key) {
        this.key = key;
    }

    /** True for a full key: it may write and see ping tokens, ping URLs and badge URLs. */
    public boolean full() {
        return key != null && key.isFull();
    }
}
