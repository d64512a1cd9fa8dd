package io.loomcast.gateway.auth;

import java.util.List;

/**
 * A rule of the publish or play list: the apps it covers, and the checks of which any one must pass. The first
 * failure offered (a wrong key, say) is the reason given; when the client offered nothing, it is
 * {@link DenyReason#NO_CREDENTIALS}. Checks run in order and stop at the first that passes, so a good key never
 * waits for a callback.
 *
 * @param app    which apps this rule decides for
 * @param open   everyone passes (no checks)
 * @param checks keys, signature, callback, in that order
 */
public record AuthRule(AppPattern app, boolean open, List<Check> checks) {
    public AuthRule {
        checks = List.copyOf(checks);
    }

    Decision decide(AuthRequest request) {
        if (open) {
            return Decision.ALLOW;
        }
        Check.Verdict.Fail firstFailure = null;
        for (Check check : checks) {
            switch (check.check(request)) {
                case Check.Verdict.Pass p -> {
                    return Decision.ALLOW;
                }
                case Check.Verdict.Rename r -> {
                    return new Decision.Rename(r.name());
                }
                case Check.Verdict.Absent a -> { }
                case Check.Verdict.Fail f -> {
                    if (firstFailure == null) {
                        firstFailure = f;
                    }
                }
            }
        }
        if (firstFailure != null) {
            return new Decision.Deny(firstFailure.reason(), firstFailure.description());
        }
        return new Decision.Deny(DenyReason.NO_CREDENTIALS, "no key or signature given");
    }
}
