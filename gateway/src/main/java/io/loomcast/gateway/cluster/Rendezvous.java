package io.loomcast.gateway.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Rendezvous (highest random weight) hashing: each replica scores a key, and the highest score owns it. With
 * the same key and replica count every process computes the same owner, with no coordination; and a key moves
 * only when the replica count changes, and then only to or from the replicas that came or went.
 *
 * <p>The score is the first 8 bytes (big-endian, unsigned) of SHA-256 over the key's UTF-8 bytes, a zero
 * byte and the replica's ordinal as 4 big-endian bytes. It is fixed here so that every version, and anyone
 * predicting an assignment by hand, agrees; ties (never seen with SHA-256) go to the lower ordinal.
 */
public final class Rendezvous {
    private Rendezvous() {}

    /** The ordinal, 0 .. replicas - 1, that owns {@code key}. */
    public static int owner(String key, int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1, got " + replicas);
        }
        int best = 0;
        long bestScore = score(key, 0);
        for (int r = 1; r < replicas; r++) {
            long s = score(key, r);
            if (Long.compareUnsigned(s, bestScore) > 0) {
                best = r;
                bestScore = s;
            }
        }
        return best;
    }

    /** Replica {@code ordinal}'s score for {@code key}, compared unsigned. */
    public static long score(String key, int ordinal) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        sha.update(key.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(ByteBuffer.allocate(4).putInt(ordinal).array());
        return ByteBuffer.wrap(sha.digest()).getLong();
    }
}
