package io.loomcast.gateway.auth;

import io.loomcast.gateway.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * {@code ?key=K} on the stream name, connect's app or the tcUrl, compared with each configured key. Both sides
 * are hashed first and the digests compared with {@link MessageDigest#isEqual}, so the time taken says nothing
 * about how much of a key was right, nor how long the keys are.
 */
public final class KeyCheck implements Check {
    /** The query argument that carries the key. */
    public static final String ARG = "key";

    private final List<byte[]> keyDigests;

    public KeyCheck(List<Secret> keys) {
        this.keyDigests = keys.stream().map(k -> sha256(k.bytes())).toList();
    }

    @Override
    public Verdict check(AuthRequest request) {
        List<String> given = request.args(ARG);
        if (given.isEmpty()) {
            return Verdict.ABSENT;
        }
        boolean match = false;
        for (String candidate : given) {
            byte[] digest = sha256(candidate.getBytes(StandardCharsets.UTF_8));
            for (byte[] key : keyDigests) {
                // No early exit: every pair is compared, whatever matched.
                match |= MessageDigest.isEqual(digest, key);
            }
        }
        return match ? Verdict.PASS : new Verdict.Fail(DenyReason.WRONG_KEY, "wrong key");
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
