package io.loomcast.gateway.protocol.handshake;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Field access on one 1536-byte C1/S1/C2/S2 (RTMP 5.2.3, 5.2.4): time at 0..3, the zero/version (C1/S1) or
 * time2 (C2/S2) field at 4..7, random bytes at 8..1535. Digest-style packets reuse the same layout.
 */
final class Packet {
    static final int BYTES = 1536;
    /** Digest-style C2/S2 carry their signature in the last 32 bytes. */
    static final int SIGNATURE_AT = BYTES - Hmac.LENGTH_BYTES;

    private Packet() {}

    /** A fresh C1/S1: time, version, and random bytes from the injected generator. */
    static byte[] fresh(long epochMillis, SoftwareVersion version, RandomGenerator random) {
        byte[] p = new byte[BYTES];
        random.nextBytes(p);
        writeTime(p, epochMillis);
        version.write(p, 4);
        return p;
    }

    /** A digest-style C2/S2: random bytes signed with a key derived from the peer's C1/S1 digest. */
    static byte[] signed(byte[] peerDigest, AdobeKey fullKey, RandomGenerator random) {
        byte[] p = new byte[BYTES];
        random.nextBytes(p);
        byte[] signature = signature(p, peerDigest, fullKey);
        System.arraycopy(signature, 0, p, SIGNATURE_AT, signature.length);
        return p;
    }

    /** The signature a digest-style C2/S2 must end with, given the digest we sent in C1/S1. */
    static byte[] signature(byte[] packet, byte[] digestWeSent, AdobeKey fullKey) {
        byte[] key = Hmac.of(fullKey.spec(), digestWeSent, 0, digestWeSent.length);
        return Hmac.of(Hmac.keyFrom(key), packet, 0, SIGNATURE_AT);
    }

    static boolean signedBy(byte[] packet, byte[] digestWeSent, AdobeKey fullKey) {
        byte[] expected = signature(packet, digestWeSent, fullKey);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(packet, SIGNATURE_AT, BYTES));
    }

    /**
     * RTMP 5.2.4: C2/S2 echo the time and random fields of S1/C1; time2 (4..7) is the reader's own clock,
     * so it is not compared.
     */
    static boolean echoes(byte[] response, byte[] sent) {
        return Arrays.equals(response, 0, 4, sent, 0, 4)
                && Arrays.equals(response, 8, BYTES, sent, 8, BYTES);
    }

    static long time(byte[] packet) {
        return ((packet[0] & 0xFFL) << 24) | ((packet[1] & 0xFF) << 16) | ((packet[2] & 0xFF) << 8)
                | (packet[3] & 0xFF);
    }

    private static void writeTime(byte[] packet, long epochMillis) {
        packet[0] = (byte) (epochMillis >>> 24);
        packet[1] = (byte) (epochMillis >>> 16);
        packet[2] = (byte) (epochMillis >>> 8);
        packet[3] = (byte) epochMillis;
    }

    /** The 32-bit time field for a clock reading: milliseconds, wrapping, any origin (RTMP 5.2.3 allows it). */
    static long epochMillis(long nanos) {
        return (nanos / 1_000_000L) & 0xFFFF_FFFFL;
    }
}
