package io.loomcast.gateway.auth;

import io.loomcast.gateway.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed stream names: {@code app/name?expires=UNIX&sig=HEX}, where {@code HEX} is the lowercase hex of
 * HMAC-SHA256 keyed with the secret (its UTF-8 bytes) over the text {@code app/name:UNIX} (UTF-8).
 * {@code UNIX} is the expiry in whole seconds since 1970 (UTC). Any backend can make one with a stock HMAC.
 */
public final class UrlSignature {
    /** The expiry argument. */
    public static final String EXPIRES = "expires";
    /** The signature argument. */
    public static final String SIG = "sig";
    private static final String ALGORITHM = "HmacSHA256";

    private UrlSignature() {}

    /** The HMAC of {@code path:expires}: 32 bytes. */
    public static byte[] mac(Secret secret, String path, long expiresEpochSeconds) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.bytes(), ALGORITHM));
            return mac.doFinal((path + ":" + expiresEpochSeconds).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has " + ALGORITHM, e);
        }
    }

    /** {@code expires=UNIX&sig=HEX}, the query that signs {@code path} until {@code expiresEpochSeconds}. */
    public static String query(Secret secret, String path, long expiresEpochSeconds) {
        return EXPIRES + "=" + expiresEpochSeconds + "&" + SIG + "="
                + HexFormat.of().formatHex(mac(secret, path, expiresEpochSeconds));
    }
}
