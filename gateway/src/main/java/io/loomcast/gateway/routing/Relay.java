package io.loomcast.gateway.routing;

import io.loomcast.gateway.config.PullConfig;
import io.loomcast.gateway.config.PushConfig;
import io.loomcast.gateway.config.RouteConfig;
import io.loomcast.gateway.config.StreamName;
import io.loomcast.gateway.config.TranscodeProfile;
import io.loomcast.gateway.hub.HubListener;
import io.loomcast.gateway.hub.Stream;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.session.SelectorReads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the routing table: one {@link PullRunner} per route with a pull, one {@link PushRunner} per stream and
 * destination. Pushes of exact routes exist from the start and wait for their source; pushes of wildcard
 * routes start when a matching stream gets a source and end after it has gone for the linger time.
 *
 * <p>{@link #apply} reconciles against a new table by identity (route stream, destination or pull config):
 * what is unchanged keeps its session untouched, what is new starts, what is gone stops.
 *
 * <p>A wildcard route's pull runs per stream: the first player of {@code live/x} starts a pull of
 * {@code live/x}, which stops (and is forgotten) {@code relay.onDemandIdle} after the last player left.
 * Routes that pull and push run only for the streams {@link StreamOwnership} gives this process.
 */
public final class Relay implements HubListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    /** A push's identity: the concrete stream, the route it came from (stream and id), and the destination's whole config. */
    record PushKey(String stream, String route, PushConfig push, String routeId) {}

    /** How long a push that was switched off or removed gets to unpublish before it is closed regardless. */
    private static final Duration UNPUBLISH_GRACE = Duration.ofSeconds(2);

    /** A pull's identity: the stream it feeds and its whole config. */
    record PullKey(String stream, PullConfig pull) {}

    private final StreamHub hub;
    private final RelaySettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<PushKey, PushRunner> pushes = new ConcurrentHashMap<>();
    private final Map<PullKey, PullRunner> pulls = new ConcurrentHashMap<>();
    private final StreamOwnership ownership;
    private final Thread scanner;
    /** Reads the upstreams of plain-TCP pulls: a few selector threads for all of them. */
    private final SelectorReads pullReads;
    /**
     * Reads the replies of pushes that are written directly (plain TCP): one selector thread for all of them. Apart
     * from the pulls': a reply is answered on this thread, and behind a destination's full socket that answer can
     * wait until the write timeout; it must not hold up a pull's media meanwhile.
     */
    private final SelectorReads replies;
    /** The pushes' merge window ({@code server.mergeWrites}); null when there is none. */
    private final PushWindow window;
    private volatile RoutingTable table = RoutingTable.EMPTY;
    private volatile boolean running = true;

    public Relay(StreamHub hub, RelaySettings settings) {
        this(hub, settings, StreamOwnership.ALL);
    }

    /** A relay of one replica: routes that pull and push run only for the streams {@code ownership} owns. */
    public Relay(StreamHub hub, RelaySettings settings, StreamOwnership ownership) {
        this.hub = hub;
        this.settings = settings;
        this.ownership = ownership;
        try {
            this.pullReads = new SelectorReads(Runtime.getRuntime().availableProcessors(), "pull-reads");
            this.replies = new SelectorReads(1, "push-replies");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the relay's connections", e);
        }
        long windowNanos = settings.mergeWrites().toNanos();
        this.window = windowNanos > 0 ? new PushWindow(windowNanos) : null;
        hub.addListener(this);
        // A platform thread, asleep while there is no pull or push: see scan().
        this.scanner = Thread.ofPlatform().name("relay-scanner").daemon().start(this::scan);
    }

    /** Whether this process runs {@code route} for {@code stream}: always, unless the route pulls and pushes. */
    private boolean runsHere(RouteConfig route, String stream) {
        return !route.pullsAndPushes() || ownership.owns(stream);
    }

    public RoutingTable table() {
        return table;
    }

    /** Makes the running pulls and pushes match {@code next}, touching only what differs. */
    public void apply(RoutingTable next) {
        lock.lock();
        try {
            table = next;
            Set<PullKey> wantedPulls = new HashSet<>();
            Set<PushKey> wantedPushes = new HashSet<>();
            for (RouteConfig r : next.exactRoutes()) {
                if (!runsHere(r, r.stream())) {
                    continue;
                }
                r.pull().ifPresent(p -> wantedPulls.add(new PullKey(r.stream(), p)));
                for (PushConfig p : r.pushes()) {
                    if (p.enabled()) {
                        wantedPushes.add(new PushKey(r.stream(), r.stream(), p, r.id()));
                    }
                }
            }
            for (Stream s : hub.streams()) {
                if ((s.live() || s.inGrace()) && !TranscodeProfile.isRendition(s.name())) {
                    wildcardPushes(next, s.name()).forEach(wantedPushes::add);
                }
                if (s.demand() > 0) {
                    wildcardPull(next, s.name()).ifPresent(wantedPulls::add);
                }
            }
            // Wildcard pulls idling before they stop stay while their route does; the idle check drops them.
            for (PullKey k : pulls.keySet()) {
                wildcardPull(next, k.stream()).filter(k::equals).ifPresent(wantedPulls::add);
            }
            // Wildcard pushes that are lingering after their source left stay while their route does.
            for (PushKey k : pushes.keySet()) {
                if (!k.stream().equals(k.route()) && routeStillHas(next, k)) {
                    wantedPushes.add(k);
                }
            }
            int stopped = 0;
            int started = 0;
            for (var e : List.copyOf(pulls.entrySet())) {
                if (!wantedPulls.contains(e.getKey())) {
                    pulls.remove(e.getKey());
                    e.getValue().stop();
                    stopped++;
                }
            }
            for (var e : List.copyOf(pushes.entrySet())) {
                if (!wantedPushes.contains(e.getKey())) {
                    pushes.remove(e.getKey());
                    stopGracefully(e.getValue(), UNPUBLISH_GRACE);
                    stopped++;
                }
            }
            for (PullKey k : wantedPulls) {
                if (!pulls.containsKey(k)) {
                    startPull(k, next.routeFor(k.stream()).map(RouteConfig::isWildcard).orElse(false));
                    started++;
                }
            }
            for (PushKey k : wantedPushes) {
                if (!pushes.containsKey(k)) {
                    startPush(k, !k.stream().equals(k.route()));
                    started++;
                }
            }
            log.info("routing: {} routes; started {}, stopped {}, kept {} pulls/pushes", next.routes().size(), started,
                    stopped, pulls.size() + pushes.size() - started);
        } finally {
            lock.unlock();
        }
    }

    private static boolean routeStillHas(RoutingTable t, PushKey k) {
        return t.routes().stream().anyMatch(r -> r.stream().equals(k.route()) && r.id().equals(k.routeId())
                        && r.pushes().contains(k.push()) && k.push().enabled())
                && t.routeFor(k.stream()).map(r -> r.stream().equals(k.route())).orElse(false);
    }

    private List<PushKey> wildcardPushes(RoutingTable t, String stream) {
        List<PushKey> out = new ArrayList<>();
        t.routeFor(stream).filter(RouteConfig::isWildcard).filter(r -> runsHere(r, stream))
                .ifPresent(r -> r.pushes().stream().filter(PushConfig::enabled)
                        .forEach(p -> out.add(new PushKey(stream, r.stream(), p, r.id()))));
        return out;
    }

    /** The pull {@code stream} gets from its app's wildcard route, if that route pulls and runs here. */
    private Optional<PullKey> wildcardPull(RoutingTable t, String stream) {
        if (TranscodeProfile.isRendition(stream)) {
            return Optional.empty(); // a rendition's source is its transcoder, which holds the source's demand
        }
        return t.routeFor(stream).filter(RouteConfig::isWildcard).filter(r -> runsHere(r, stream))
                .flatMap(RouteConfig::pull).map(p -> new PullKey(stream, p));
    }

    /**
     * Starts a pull; a wildcard route's ({@code perStream}) is dropped once it has idled past onDemandIdle with
     * no player, instead of waiting for the next one.
     */
    private void startPull(PullKey k, boolean perStream) {
        PullRunner[] self = new PullRunner[1];
        Runnable onIdle = perStream ? () -> dropIdle(k, self[0]) : null;
        PullRunner r = new PullRunner(k.stream(), k.pull(), k.pull().rtmpUrlsFor(StreamName.parse(k.stream())), hub,
                settings, pullReads, onIdle);
        self[0] = r;
        pulls.put(k, r);
        LockSupport.unpark(scanner);
        r.start();
    }

    private void dropIdle(PullKey k, PullRunner r) {
        lock.lock();
        try {
            // A player may have come back since the scanner looked: then the pull carries on.
            if (r.demand() == 0 && pulls.remove(k, r)) {
                r.stop();
                log.info("pull of {}: stopped, no players for {} ms", k.stream(),
                        settings.relay().onDemandIdle().toMillis());
            }
        } finally {
            lock.unlock();
        }
    }

    private void startPush(PushKey k, boolean ephemeral) {
        PushRunner[] self = new PushRunner[1];
        PushRunner r = new PushRunner(k.stream(), k.routeId(), k.push(), hub, settings, ephemeral, replies, window,
                () -> {
                    if (ephemeral) {
                        pushes.remove(k, self[0]);
                    }
                });
        self[0] = r;
        pushes.put(k, r);
        LockSupport.unpark(scanner);
        r.start();
    }

    @Override
    public void sourceStarted(String stream) {
        if (TranscodeProfile.isRendition(stream)) {
            return; // a transcoder's output: its pushes follow the source's route, not a route of their own
        }
        lock.lock();
        try {
            for (PushKey k : wildcardPushes(table, stream)) {
                if (!pushes.containsKey(k)) {
                    startPush(k, true);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void demandChanged(String stream, int demand) {
        boolean running = false;
        for (var e : pulls.entrySet()) {
            if (e.getKey().stream().equals(stream)) {
                e.getValue().demand(demand);
                running = true;
            }
        }
        if (running || demand == 0) {
            return;
        }
        Optional<PullKey> wanted = wildcardPull(table, stream);
        if (wanted.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            // Under the lock: one pull per stream however many players arrive at once.
            if (!pulls.containsKey(wanted.get()) && wildcardPull(table, stream).equals(wanted)) {
                startPull(wanted.get(), true);
                log.info("pull of {}: started for its first player", stream);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A stream a pull fetches: an on-demand pull starts for a player, an always pull is coming back, and a
     * wildcard route's pull starts for the first player of any stream of its app.
     */
    @Override
    public boolean startsOnDemand(String stream) {
        return pulls.keySet().stream().anyMatch(k -> k.stream().equals(stream))
                || wildcardPull(table, stream).isPresent();
    }

    /**
     * Looks for stalled pushes and idle pulls a few times a second, and sleeps while there are none: a platform
     * thread's timed wait is one futex, where a virtual thread's also wakes the scheduler's timer thread and a
     * carrier, and that was a visible part of an otherwise idle gateway's CPU.
     */
    private void scan() {
        while (running) {
            if (pushes.isEmpty() && pulls.isEmpty()) {
                LockSupport.park(this); // until a pull or push starts, or close(); a spurious return looks again
                continue;
            }
            try {
                Thread.sleep(Math.max(50, Math.min(250, settings.writeTimeout().toMillis() / 4)));
            } catch (InterruptedException e) {
                return;
            }
            check(System.nanoTime());
        }
    }

    /** One look, in a method of its own so the JIT compiles it (the loop above is entered once, and never left). */
    private void check(long now) {
        for (PushRunner p : pushes.values()) {
            p.checkStall(now);
        }
        for (PullRunner p : pulls.values()) {
            p.checkIdle(now);
        }
    }

    /** Every pull and push, for the API and tests. */
    public List<RelayStatus> status() {
        List<RelayStatus> out = new ArrayList<>();
        pulls.values().forEach(p -> out.add(p.status()));
        pushes.values().forEach(p -> out.add(p.status()));
        return out;
    }

    /**
     * Asks {@code r} to unpublish and stop, and closes it regardless after {@code grace}: the reconciler does not
     * wait, and one stuck destination cannot hold a reload.
     */
    private static void stopGracefully(PushRunner r, Duration grace) {
        r.stopGracefully();
        Thread.ofVirtual().name("push-stop").start(() -> {
            await(j -> r.awaitExit(grace));
            if (!r.exited()) {
                r.stop();
            }
        });
    }

    /**
     * Stops everything as a shutdown should: every live push unpublishes (FCUnpublish, deleteStream) within
     * {@code grace}, then whatever is left is closed. Pulls just close.
     */
    public void close(Duration grace) {
        lock.lock();
        try {
            pushes.values().forEach(PushRunner::stopGracefully);
            long deadline = System.nanoTime() + grace.toNanos();
            for (PushRunner r : pushes.values()) {
                long left = deadline - System.nanoTime();
                await(j -> r.awaitExit(Duration.ofNanos(Math.max(1, left))));
            }
        } finally {
            lock.unlock();
        }
        close();
    }

    @Override
    public void close() {
        running = false;
        scanner.interrupt();
        hub.removeListener(this);
        lock.lock();
        try {
            pulls.values().forEach(PullRunner::stop);
            pushes.values().forEach(PushRunner::stop);
            for (PullRunner r : pulls.values()) {
                await(r::awaitExit);
            }
            for (PushRunner r : pushes.values()) {
                await(r::awaitExit);
            }
            pulls.clear();
            pushes.clear();
        } finally {
            lock.unlock();
        }
        pullReads.close();
        replies.close();
        if (window != null) {
            window.close();
        }
    }

    /** Media writes the pushes running now have made to their destinations, for tests and metrics. */
    public long pushWrites() {
        return pushes.values().stream().mapToLong(PushRunner::writes).sum();
    }

    /** Of {@link #pushWrites()}, those the merge window's timer made. */
    public long pushWindowWrites() {
        return pushes.values().stream().mapToLong(PushRunner::windowWrites).sum();
    }

    private interface Join {
        void join(Duration d) throws InterruptedException;
    }

    private static void await(Join j) {
        try {
            j.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
