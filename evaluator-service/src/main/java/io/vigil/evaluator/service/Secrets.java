package io.vigil.evaluator.service;

import java.security.SecureRandom;
import java.util.Base64;

/** Generates API keys, ping tokens and badge keys: 160 random bits from {@link SecureRandom}, URL-safe base64. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A new secret of 27 URL-safe characters ({@code [A-Za-z0-9_-]}) carrying 160 bits of randomness. */
    public static String generate() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
