package io.loomcast.gateway.protocol.handshake;

import java.security.GeneralSecurityException;
import java.security.Key;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 over one or two slices of a packet, the only primitive the digest handshake uses. */
final class Hmac {
    static final String ALGORITHM = "HmacSHA256";
    static final int LENGTH_BYTES = 32;

    private Hmac() {}

    static byte[] of(Key key, byte[] data, int offset, int length) {
        Mac mac = mac(key);
        mac.update(data, offset, length);
        return mac.doFinal();
    }

    /** HMAC of {@code data} with the 32 bytes at {@code skip} left out, as digests are computed in place. */
    static byte[] skipping(Key key, byte[] data, int skip) {
        Mac mac = mac(key);
        mac.update(data, 0, skip);
        mac.update(data, skip + LENGTH_BYTES, data.length - skip - LENGTH_BYTES);
        return mac.doFinal();
    }

    /** A key made from an earlier HMAC, as C2/S2 signatures are keyed (digest of the peer's digest). */
    static Key keyFrom(byte[] bytes) {
        return new SecretKeySpec(bytes, ALGORITHM);
    }

    private static Mac mac(Key key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            // Every Java platform must provide HmacSHA256 (javax.crypto.Mac Javadoc), so this is a broken JDK.
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }
}
