package io.loomcast.gateway.session;

import io.loomcast.gateway.auth.AddressRules;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides at accept, before a byte is read, whether a new connection may stay: the address rules, the total
 * and the per-address limits. Every listener (RTMP and RTMPS) shares one gate, so the limits count both.
 * A refusal is counted every time and logged at most once per reason per {@link #LOG_INTERVAL_NANOS}, so a
 * flood cannot flood the log too.
 */
final class AcceptGate {
    private static final Logger log = LoggerFactory.getLogger(AcceptGate.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final int maxConnections;
    private final int maxPerAddress;
    private final Supplier<AddressRules> rules;
    private final ServerCounters counters;
    // One lock for the count and the map: accepts are rare next to media, and the limits stay exact.
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int open;
    private final java.util.EnumMap<Refusal, BurstLog> logs = new java.util.EnumMap<>(Refusal.class);

    /** @param maxPerAddress 0: no per-address limit */
    AcceptGate(int maxConnections, int maxPerAddress, Supplier<AddressRules> rules, ServerCounters counters) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.rules = rules;
        this.counters = counters;
        for (Refusal r : Refusal.values()) {
            logs.put(r, new BurstLog(LOG_INTERVAL_NANOS));
        }
    }

    /**
     * Admits a connection from {@code peer} (then {@link #release} it when it ends), or says why not. The
     * caller closes a refused socket at once.
     */
    Optional<Refusal> admit(InetAddress peer) {
        Refusal refusal;
        int fromPeer;
        lock.lock();
        try {
            fromPeer = perAddress.getOrDefault(peer, 0);
            if (!rules.get().admits(peer)) {
                refusal = Refusal.ADDRESS_DENIED;
            } else if (open >= maxConnections) {
                refusal = Refusal.MAX_CONNECTIONS;
            } else if (maxPerAddress > 0 && fromPeer >= maxPerAddress) {
                refusal = Refusal.PER_IP_LIMIT;
            } else {
                open++;
                perAddress.merge(peer, 1, Integer::sum);
                return Optional.empty();
            }
        } finally {
            lock.unlock();
        }
        counters.refused(refusal);
        logRefusal(peer, refusal, fromPeer);
        return Optional.of(refusal);
    }

    /** A connection {@link #admit} let in has ended. */
    void release(InetAddress peer) {
        lock.lock();
        try {
            open--;
            perAddress.computeIfPresent(peer, (k, n) -> n == 1 ? null : n - 1);
        } finally {
            lock.unlock();
        }
    }

    int open() {
        lock.lock();
        try {
            return open;
        } finally {
            lock.unlock();
        }
    }

    private void logRefusal(InetAddress peer, Refusal refusal, int fromPeer) {
        long skipped = logs.get(refusal).next();
        if (skipped < 0) {
            return;
        }
        String why = switch (refusal) {
            case ADDRESS_DENIED -> "the address is not allowed by auth.allow/auth.deny";
            case MAX_CONNECTIONS -> "server.maxConnections (" + maxConnections + ") connections are open";
            case PER_IP_LIMIT -> fromPeer + " connections from it are open, server.maxConnectionsPerIp is "
                    + maxPerAddress;
            default -> refusal.label();
        };
        log.warn("refused {} at accept: {}{}", peer.getHostAddress(), why,
                BurstLog.since(skipped, "refused for this reason"));
    }
}
