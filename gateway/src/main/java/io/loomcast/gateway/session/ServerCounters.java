package io.loomcast.gateway.session;

import io.loomcast.gateway.auth.DenyReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Server-wide counts, read by the metrics endpoint; every session adds to the same instance. */
public final class ServerCounters {
    public final LongAdder connectionsAccepted = new LongAdder();
    /** Every connection refused at accept, whatever the {@link Refusal} (see {@link #refusals}). */
    public final LongAdder connectionsRejected = new LongAdder();
    public final LongAdder handshakeFailures = new LongAdder();
    /** Accepts that failed, out of file descriptors or memory; each one pauses accepting briefly. */
    public final LongAdder acceptFailures = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    public final LongAdder unknownCommands = new LongAdder();
    public final LongAdder ignoredMessages = new LongAdder();
    public final LongAdder publishRejected = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder bytesOut = new LongAdder();

    private final Map<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);
    private final Map<DenyReason, LongAdder> authDenials = new EnumMap<>(DenyReason.class);

    public ServerCounters() {
        // Filled once, read-only after: EnumMap needs no lock for concurrent reads of fixed keys.
        for (Refusal r : Refusal.values()) {
            refusals.put(r, new LongAdder());
        }
        for (DenyReason r : DenyReason.values()) {
            authDenials.put(r, new LongAdder());
        }
    }

    /** Counts one refusal; those at accept also count in {@link #connectionsRejected}. */
    public void refused(Refusal reason) {
        refusals.get(reason).increment();
        if (reason.atAccept()) {
            connectionsRejected.increment();
        }
    }

    /** Refusals so far for {@code reason}. */
    public long refusals(Refusal reason) {
        return refusals.get(reason).sum();
    }

    /** Counts why the auth rules refused a publish or play (besides {@link Refusal#PUBLISH_DENIED}/{@code PLAY_DENIED}). */
    public void authDenied(DenyReason reason) {
        authDenials.get(reason).increment();
    }

    /** Publishes and plays refused so far for {@code reason}. */
    public long authDenials(DenyReason reason) {
        return authDenials.get(reason).sum();
    }

    /**
     * One line for the log, e.g. at shutdown: connections accepted and refused, then every non-zero refusal and
     * auth denial by its label ({@code refused: per_ip_limit=50 handshake_timeout=12; denied: wrong_key=3}).
     */
    public String summary() {
        StringBuilder out = new StringBuilder().append(connectionsAccepted.sum()).append(" connections accepted, ")
                .append(connectionsRejected.sum()).append(" refused at accept; refused:");
        int before = out.length();
        refusals.forEach((r, n) -> {
            if (n.sum() > 0) {
                out.append(' ').append(r.label()).append('=').append(n.sum());
            }
        });
        if (out.length() == before) {
            out.append(" none");
        }
        out.append("; denied:");
        before = out.length();
        authDenials.forEach((r, n) -> {
            if (n.sum() > 0) {
                out.append(' ').append(r.label()).append('=').append(n.sum());
            }
        });
        if (out.length() == before) {
            out.append(" none");
        }
        return out.append("; ").append(handshakeFailures.sum()).append(" handshake failures, ")
                .append(protocolErrors.sum()).append(" protocol errors").toString();
    }
}
