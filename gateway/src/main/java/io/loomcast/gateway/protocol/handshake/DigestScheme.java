package io.loomcast.gateway.protocol.handshake;

import java.security.MessageDigest;

/**
 * Where the 32-byte digest sits in a Flash Player 9 style C1/S1. The 1536-byte packet is time (4), version (4)
 * and two 764-byte blocks; the scheme picks the block holding the digest, and four bytes at the start of that
 * block choose the offset: their unsigned sum modulo 728, plus the offset just past those four bytes. So the
 * digest never covers the bytes that locate it, and always ends inside its block.
 */
public enum DigestScheme {
    /** Offset bytes at 8..11, digest at 12 + sum % 728 (12..739). ffmpeg and nginx-rtmp use this one. */
    SCHEME_0(8),
    /** Offset bytes at 772..775, digest at 776 + sum % 728 (776..1503). */
    SCHEME_1(772);

    private static final int MODULUS = 728;

    private final int offsetBytesAt;

    DigestScheme(int offsetBytesAt) {
        this.offsetBytesAt = offsetBytesAt;
    }

    /** The number as the scheme is usually called: 0 or 1. */
    public int number() {
        return ordinal();
    }

    /** The other scheme, tried when the expected one does not validate. */
    DigestScheme other() {
        return this == SCHEME_0 ? SCHEME_1 : SCHEME_0;
    }

    /** Offset of the digest in a 1536-byte C1/S1 under this scheme. */
    int digestOffset(byte[] packet) {
        int sum = 0;
        for (int i = offsetBytesAt; i < offsetBytesAt + 4; i++) {
            sum += packet[i] & 0xFF;
        }
        return offsetBytesAt + 4 + sum % MODULUS;
    }

    /** The 32 digest bytes at this scheme's offset. */
    byte[] digest(byte[] packet) {
        int at = digestOffset(packet);
        byte[] out = new byte[Hmac.LENGTH_BYTES];
        System.arraycopy(packet, at, out, 0, out.length);
        return out;
    }

    /** True if the bytes at this scheme's offset are the HMAC of the rest of the packet under {@code key}. */
    boolean validates(byte[] packet, AdobeKey key) {
        int at = digestOffset(packet);
        byte[] expected = Hmac.skipping(key.spec(), packet, at);
        return MessageDigest.isEqual(expected, digest(packet));
    }

    /** Writes the digest of the rest of the packet under {@code key} at this scheme's offset. */
    void imprint(byte[] packet, AdobeKey key) {
        int at = digestOffset(packet);
        byte[] digest = Hmac.skipping(key.spec(), packet, at);
        System.arraycopy(digest, 0, packet, at, digest.length);
    }
}
