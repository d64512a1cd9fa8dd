package io.loomcast.gateway.protocol.handshake;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.spec.SecretKeySpec;

/**
 * The public HMAC keys of the Flash Player 9 digest handshake. Each is an ASCII text followed by the same 32
 * constant bytes; C1/S1 digests use only the text ("partial") and C2/S2 signatures the whole key.
 * These are not secrets: they identify Adobe-compatible peers, they authenticate nothing.
 */
enum AdobeKey {
    /** Client digest in C1: "Genuine Adobe Flash Player 001", 30 bytes. */
    PLAYER_PARTIAL("Genuine Adobe Flash Player 001", false),
    /** Keys the C2 signature: the player text plus the constant, 62 bytes. */
    PLAYER_FULL("Genuine Adobe Flash Player 001", true),
    /** Server digest in S1: "Genuine Adobe Flash Media Server 001", 36 bytes. */
    SERVER_PARTIAL("Genuine Adobe Flash Media Server 001", false),
    /** Keys the S2 signature: the server text plus the constant, 68 bytes. */
    SERVER_FULL("Genuine Adobe Flash Media Server 001", true);

    /** The 32 bytes that follow the text in both full keys. */
    private static final String CONSTANT_HEX =
            "f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae";

    private final SecretKeySpec spec;

    AdobeKey(String text, boolean full) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        byte[] constant = HexFormat.of().parseHex(CONSTANT_HEX);
        byte[] key = full ? Arrays.copyOf(ascii, ascii.length + constant.length) : ascii;
        if (full) {
            System.arraycopy(constant, 0, key, ascii.length, constant.length);
        }
        this.spec = new SecretKeySpec(key, Hmac.ALGORITHM);
    }

    SecretKeySpec spec() {
        return spec;
    }

    /** Key length in bytes: 30, 62, 36 or 68. */
    int lengthBytes() {
        return spec.getEncoded().length;
    }
}
