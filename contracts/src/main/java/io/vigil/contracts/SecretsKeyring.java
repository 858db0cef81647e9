package io.vigil.contracts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys that seal channel settings on {@link Topics#CHANNELS} ({@code VIGIL_SECRETS_KEY}, and while a rotation is
 * under way {@code VIGIL_SECRETS_PREVIOUS_KEYS}): AES-256-GCM with a fresh 96-bit nonce per record, the channel id as
 * associated data (a sealed value cannot be moved to another channel's record), and the key's id in the sealed text
 * so that a reader picks the key it was sealed with. Only the current key seals; every key opens.
 *
 * <p>Sealed form: {@code v1.<key id>.<nonce>.<ciphertext and tag>}, the last two URL-safe base64.
 */
public final class SecretsKeyring {

    /** Why a sealed value could not be opened (an unknown key id, a value altered or moved, a malformed form). */
    public static final class SealException extends Exception {
        SealException(String message) {
            super(message);
        }
    }

    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentId;
    private final Map<String, SecretKey> keys;

    private SecretsKeyring(String currentId, Map<String, SecretKey> keys) {
        this.currentId = currentId;
        this.keys = keys;
    }

    /**
     * The keyring of {@code current} (base64 of 32 random bytes, e.g. {@code openssl rand -base64 32}) and the
     * comma-separated {@code previous} keys (may be blank).
     *
     * @throws IllegalArgumentException naming the setting when a key is missing or not 32 bytes of base64
     */
    public static SecretsKeyring of(String current, String previous) {
        if (current == null || current.isBlank()) {
            throw new IllegalArgumentException("VIGIL_SECRETS_KEY is not set: the channel settings on the Kafka topic are"
                    + " sealed with it. Generate one with `openssl rand -base64 32` and give the same value to the"
                    + " evaluator and the notifier.");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        SecretKey key = parse("VIGIL_SECRETS_KEY", current);
        String currentId = idOf(key);
        keys.put(currentId, key);
        if (previous != null) {
            for (String old : previous.split(",")) {
                if (!old.isBlank()) {
                    SecretKey oldKey = parse("VIGIL_SECRETS_PREVIOUS_KEYS", old);
                    keys.putIfAbsent(idOf(oldKey), oldKey);
                }
            }
        }
        return new SecretsKeyring(currentId, Collections.unmodifiableMap(keys));
    }

    /** The id of the key that seals, also in every sealed value (8 hex digits of the key's SHA-256; not secret). */
    public String currentKeyId() {
        return currentId;
    }

    /** The ids of every key that opens: the current one first, then the previous ones as configured. */
    public List<String> keyIds() {
        return new ArrayList<>(keys.keySet());
    }

    /** {@code plaintext} sealed under the current key, bound to {@code context} (the channel id). */
    public String seal(byte[] plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
            return VERSION + "." + currentId + "." + base64.encodeToString(nonce) + "." + base64.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plaintext of {@code sealed}, which must have been sealed for {@code context}. */
    public byte[] open(String sealed, String context) throws SealException {
        String[] parts = sealed.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals(VERSION)) {
            throw new SealException("not a sealed value of version " + VERSION);
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new SealException("sealed under key " + parts[1] + ", which is neither VIGIL_SECRETS_KEY nor one of"
                    + " VIGIL_SECRETS_PREVIOUS_KEYS here (keys held: " + String.join(", ", keys.keySet()) + ")");
        }
        try {
            Base64.Decoder base64 = Base64.getUrlDecoder();
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, base64.decode(parts[2])));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(base64.decode(parts[3]));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new SealException("sealed value does not open under key " + parts[1] + " for " + context
                    + " (altered, moved from another record, or a different key with the same id)");
        }
    }

    private static SecretKey parse(String setting, String encoded) {
        byte[] bytes;
        try {
            String trimmed = encoded.trim();
            bytes = trimmed.contains("-") || trimmed.contains("_") ? Base64.getUrlDecoder().decode(trimmed)
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " is not base64: generate a key with `openssl rand -base64 32`");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException(setting + " holds " + bytes.length + " bytes; it must be 32 (AES-256):"
                    + " generate one with `openssl rand -base64 32`");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    private static String idOf(SecretKey key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("vigil-secrets-key:".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest(key.getEncoded()), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
