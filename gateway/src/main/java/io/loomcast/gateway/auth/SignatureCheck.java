package io.loomcast.gateway.auth;

import io.loomcast.gateway.config.Secret;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Optional;

/**
 * {@code ?expires=UNIX&sig=HEX} (see {@link UrlSignature}): the signature must cover this stream's
 * {@code app/name} and that expiry under the rule's secret, and the expiry must not have passed. The signature
 * is checked first, so "expired" is only ever said of a URL that was genuinely signed.
 */
public final class SignatureCheck implements Check {
    private static final int MAX_EXPIRES_DIGITS = 12;

    private final Secret secret;
    private final InstantSource clock;

    public SignatureCheck(Secret secret, InstantSource clock) {
        this.secret = secret;
        this.clock = clock;
    }

    @Override
    public Verdict check(AuthRequest request) {
        Optional<String> expires = request.arg(UrlSignature.EXPIRES);
        Optional<String> sig = request.arg(UrlSignature.SIG);
        if (expires.isEmpty() && sig.isEmpty()) {
            return Verdict.ABSENT;
        }
        if (expires.isEmpty() || sig.isEmpty()) {
            return bad("expires and sig go together");
        }
        String e = expires.get();
        if (e.isEmpty() || e.length() > MAX_EXPIRES_DIGITS || !e.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return bad("expires is not a time in seconds since 1970");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(sig.get());
        } catch (IllegalArgumentException ex) {
            return bad("sig is not hex");
        }
        long expiresSeconds = Long.parseLong(e);
        if (!MessageDigest.isEqual(UrlSignature.mac(secret, request.path(), expiresSeconds), given)) {
            return bad("signature does not match this stream");
        }
        if (clock.instant().getEpochSecond() > expiresSeconds) {
            return new Verdict.Fail(DenyReason.SIGNATURE_EXPIRED, "signature expired");
        }
        return Verdict.PASS;
    }

    private static Verdict bad(String why) {
        return new Verdict.Fail(DenyReason.BAD_SIGNATURE, why);
    }
}
