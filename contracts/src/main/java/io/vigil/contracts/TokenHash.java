package io.vigil.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The only form of a ping token that leaves the evaluator: lower-case hex SHA-256 of its UTF-8 bytes. */
public final class TokenHash {

    private TokenHash() {
    }

    public static String of(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Compares two hashes in constant time. */
    public static boolean matches(String hashA, String hashB) {
        if (hashA == null || hashB == null) {
            return false;
        }
        return MessageDigest.isEqual(hashA.getBytes(StandardCharsets.US_ASCII), hashB.getBytes(StandardCharsets.US_ASCII));
    }
}
