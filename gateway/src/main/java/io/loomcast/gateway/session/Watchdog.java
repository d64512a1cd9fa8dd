package io.loomcast.gateway.session;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces every connection timeout from one place, by closing the socket: the handshake deadline, idle
 * peers (no byte for the idle timeout, after pings went unanswered; a ping interval of 0 sends none), and
 * half-open peers (a write that
 * makes no progress for the write timeout). Scanning a few thousand connections twice a second costs
 * nothing next to a timer per connection, and the blocked reader or writer needs no timeout of its own.
 */
public final class Watchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

    /** What the watchdog looks after for one connection. */
    public interface Watched {
        Connection connection();

        /** Nanos by which the handshake must be done, or 0 once it is. */
        long handshakeDeadlineNanos();

        /** Sends a ping request so an idle but live peer answers with bytes. */
        void ping();
    }

    /** The close reason of a connection whose handshake (TLS and RTMP) outran {@code server.handshakeTimeout}. */
    public static final String HANDSHAKE_DEADLINE = "handshake not done in time";

    private final Duration idleTimeout;
    private final Duration pingInterval;
    private final Duration writeTimeout;
    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    /** Handshake timeouts come by the thousand from scanners and floods: logged one a second at most. */
    private final BurstLog handshakeTimeouts = new BurstLog(1_000_000_000L);
    private final ConcurrentHashMap<Watched, Long> lastPingNanos = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public Watchdog(Duration idleTimeout, Duration pingInterval, Duration writeTimeout) {
        this.idleTimeout = idleTimeout;
        this.pingInterval = pingInterval;
        this.writeTimeout = writeTimeout;
        // A platform thread: its timed wait is one futex, where a virtual thread's also wakes the scheduler's
        // timer thread and then a carrier, several times a second for the life of the process.
        this.thread = Thread.ofPlatform().name("rtmp-watchdog").daemon().start(this::loop);
    }

    /** Where sessions whose handshake timed out ask whether to log it. */
    BurstLog handshakeTimeouts() {
        return handshakeTimeouts;
    }

    public void watch(Watched w) {
        if (watched.add(w)) {
            // It parks while there is nothing to watch. Every add wakes it: two adds at once could each see a
            // size of 2 and leave it asleep. An unpark of a thread that is not parked only leaves a permit.
            LockSupport.unpark(thread);
        }
    }

    public void forget(Watched w) {
        watched.remove(w);
        lastPingNanos.remove(w);
    }

    private void loop() {
        long shortest = writeTimeout.toMillis();
        if (!pingInterval.isZero()) {
            shortest = Math.min(shortest, pingInterval.toMillis());
        }
        long tickMillis = Math.max(50, Math.min(500, shortest / 4));
        while (running) {
            if (watched.isEmpty()) {
                LockSupport.park(this); // until watch() or close(); a spurious return just looks again
                continue;
            }
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                return;
            }
            checkAll(System.nanoTime());
        }
    }

    /** One tick, in a method of its own so the JIT compiles it (the loop above is entered once, and never left). */
    private void checkAll(long now) {
        for (Watched w : watched) {
            try {
                check(w, now);
            } catch (RuntimeException e) {
                log.warn("watchdog check of {} failed", w.connection().name(), e);
            }
        }
    }

    private void check(Watched w, long now) {
        Connection c = w.connection();
        long deadline = w.handshakeDeadlineNanos();
        if (deadline != 0 && now - deadline > 0) {
            c.close(HANDSHAKE_DEADLINE);
            return;
        }
        long writeStarted = c.writeStartedNanos();
        if (writeStarted != 0 && now - writeStarted > writeTimeout.toNanos()) {
            c.close("write stalled for %d ms: the peer stopped reading".formatted(writeTimeout.toMillis()));
            return;
        }
        long quietNanos = now - c.lastReadNanos();
        if (quietNanos > idleTimeout.toNanos()) {
            c.close("idle: no bytes from the peer for %d ms".formatted(idleTimeout.toMillis()));
            return;
        }
        if (deadline == 0 && !pingInterval.isZero() && quietNanos > pingInterval.toNanos()) {
            Long last = lastPingNanos.get(w);
            if (last == null || now - last > pingInterval.toNanos()) {
                lastPingNanos.put(w, now);
                w.ping();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
