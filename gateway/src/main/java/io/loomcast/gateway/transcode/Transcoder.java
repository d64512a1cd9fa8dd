package io.loomcast.gateway.transcode;

import io.loomcast.gateway.config.PushConfig;
import io.loomcast.gateway.config.RouteConfig;
import io.loomcast.gateway.config.TranscodeConfig;
import io.loomcast.gateway.config.TranscodeProfile;
import io.loomcast.gateway.hub.HubListener;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.Stream;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.routing.RoutingTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the renditions that pushes and players ask for: one {@link SourcePipeline} per source stream, with one
 * encoder per profile however many pushes and players share it. Each profile's output is the local stream
 * {@code app/name@profile}; pushes and players subscribe to that.
 *
 * <p>A push's profile runs as its route says: exact routes' from the start, waiting for their source; wildcard
 * routes' while a matching stream has a source. A player of {@code app/name@profile} (a profile of
 * {@code transcode.profiles}) runs that profile too, waiting for the source if it is not live yet, until the
 * rendition has had no player for {@code transcode.onDemandIdle}; while it runs it counts as a player of the
 * source, so an on-demand pull of the source runs. At most {@code transcode.maxEncoders} renditions run; a
 * player asking for one more is refused (it waits, and gets it when one is free); pushes are never refused.
 *
 * <p>{@link #apply} and player demand change a source's profiles one by one: adding or removing one leaves the
 * source's other renditions running. Demand changes are handled on a platform thread of the transcoder's own,
 * never on the player's session thread.
 */
public final class Transcoder implements HubListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Transcoder.class);
    private static final long EXIT_WAIT_MILLIS = 3_000;
    /** How often player demand is re-read from the hub, idle renditions stopped, refused ones retried. */
    private static final long SWEEP_MILLIS = 250;
    private static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final StreamHub hub;
    private final QueueLimits limits;
    private final TranscodeMetrics metrics = new TranscodeMetrics();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, SourcePipeline> pipelines = new ConcurrentHashMap<>();
    private final EncoderChoice encoders;
    /** Guarded by {@link #lock}, like {@link #holds}. */
    private final PlayerDemand players = new PlayerDemand();
    /**
     * Encoders and pipelines taken out under {@link #lock}, to be drained and joined once it is released:
     * a drain may take seconds, and a publisher's thread (sourceStarted) or the demand thread must not wait
     * on someone else's.
     */
    private final List<Runnable> retirements = new ArrayList<>();
    /** The demand held on a source while players watch one of its renditions. */
    private final Map<String, StreamHub.DemandHold> holds = new HashMap<>();
    /** Streams to look at again: a rendition whose players changed, or a source whose pipeline exited. */
    private final LinkedBlockingQueue<String> wakeups = new LinkedBlockingQueue<>();
    /** Sources whose pipeline failed or was shed, and when to look at them again (not at once: no hot loop). */
    private final Map<String, Long> retryAtNanos = new ConcurrentHashMap<>();
    private final Thread control;
    private volatile RoutingTable table = RoutingTable.EMPTY;
    private volatile TranscodeConfig config = TranscodeConfig.NONE;
    private volatile boolean running = true;

    public Transcoder(StreamHub hub, FfmpegRuntime ffmpeg, QueueLimits limits) {
        this.hub = hub;
        this.encoders = new EncoderChoice(ffmpeg);
        this.limits = limits;
        this.control = Thread.ofPlatform().daemon().name("transcode-control").start(this::control);
        hub.addListener(this);
    }

    public TranscodeMetrics metrics() {
        return metrics;
    }

    /** The profiles the enabled pushes of {@code route} ask for, each once. */
    static Set<TranscodeProfile> profilesOf(RouteConfig route) {
        Set<TranscodeProfile> out = new LinkedHashSet<>();
        for (PushConfig p : route.pushes()) {
            if (p.enabled()) {
                p.transcode().ifPresent(out::add);
            }
        }
        return out;
    }

    /**
     * Checks that every profile that may run can be encoded with these natives, and logs which encoder each
     * gets and why: the pushes' profiles, and every profile when players may start them. Call before
     * {@link #apply}, so a bad profile fails startup or reload, not a stream.
     */
    public void check(RoutingTable next, TranscodeConfig transcode) throws TranscodeException {
        for (RouteConfig r : next.routes()) {
            for (PushConfig push : r.pushes()) { // switched-off pushes too: they may be switched on
                if (push.transcode().isPresent()) {
                    encoders.encoderFor(push.transcode().get());
                }
            }
        }
        if (transcode.playerRenditions()) {
            for (TranscodeProfile p : transcode.profiles().values()) {
                encoders.encoderFor(p);
            }
        }
    }

    /**
     * Makes the running renditions match {@code next} and {@code transcode}, one profile at a time: a
     * source's renditions that are still wanted keep running, whatever is added or removed beside them.
     */
    public void apply(RoutingTable next, TranscodeConfig transcode) {
        List<Runnable> retired;
        lock.lock();
        try {
            table = next;
            config = transcode;
            if (transcode.playerRenditions()) {
                players.retain(r -> transcode.profiles().containsKey(r.profile()));
                // Players who were waiting for a profile this reload defines, or for this switch turned on.
                long now = System.nanoTime();
                for (Stream s : hub.streams()) {
                    playerRequest(s.name()).filter(r -> players.observe(r, s.demand(), now))
                            .ifPresent(r -> log.info("{}: asked for by a player before this reload", r.rendition()));
                }
            } else {
                players.retain(r -> false);
            }
            Set<String> sources = new LinkedHashSet<>(pipelines.keySet());
            for (RouteConfig r : next.exactRoutes()) {
                if (!profilesOf(r).isEmpty()) {
                    sources.add(r.stream());
                }
            }
            for (Stream s : hub.streams()) {
                if (s.live() && !TranscodeProfile.isRendition(s.name())) {
                    sources.add(s.name());
                }
            }
            sources.addAll(players.sources());
            sources.addAll(holds.keySet());
            sources.forEach(this::reconcile);
            pipelines.values().forEach(p -> p.cascadeScaling(transcode.cascadeScaling()));
        } finally {
            retired = takeRetirements();
            lock.unlock();
        }
        retired.forEach(Runnable::run); // removed renditions are drained and freed before apply returns
    }

    /** What {@link #reconcile} took out; call under the lock, run the result after releasing it. */
    private List<Runnable> takeRetirements() {
        List<Runnable> out = List.copyOf(retirements);
        retirements.clear();
        return out;
    }

    /** {@link #apply(RoutingTable, TranscodeConfig)} with the transcode settings in force. */
    public void apply(RoutingTable next) {
        apply(next, config);
    }

    /** The profiles the routes want for {@code source} now: an exact route's always, a wildcard's while live. */
    private Set<TranscodeProfile> pushProfiles(String source, boolean live, boolean playersWant) {
        Optional<RouteConfig> route = table.routeFor(source);
        if (route.isEmpty() || (route.get().isWildcard() && !live && !playersWant)) {
            // A wildcard route's renditions end with the source; beside players' they may wait for its return.
            return Set.of();
        }
        return profilesOf(route.get());
    }

    /**
     * Makes {@code source}'s pipeline run exactly the profiles wanted now: removes the others (each drained and
     * freed), then adds the missing ones, players' only within the encoder cap. Holds the lock.
     */
    private void reconcile(String source) {
        TranscodeConfig c = config;
        // Within its unpublish grace a source counts as live: its publisher may be back any moment.
        boolean live = hub.find(source).map(s -> s.live() || s.inGrace()).orElse(false);
        List<TranscodeProfile> forPlayers = new ArrayList<>();
        if (c.playerRenditions()) {
            for (String name : players.profilesOf(source)) {
                TranscodeProfile p = c.profiles().get(name);
                if (p != null) {
                    forPlayers.add(p);
                }
            }
        }
        Set<TranscodeProfile> forPushes = pushProfiles(source, live, !forPlayers.isEmpty());
        Set<TranscodeProfile> wanted = new LinkedHashSet<>(forPushes);
        wanted.addAll(forPlayers);
        boolean exactPushes = !forPushes.isEmpty() && table.routeFor(source).map(r -> !r.isWildcard()).orElse(false);

        SourcePipeline pipeline = pipelines.get(source);
        Set<TranscodeProfile> have = new LinkedHashSet<>();
        if (pipeline != null) {
            for (RenditionWorker w : pipeline.workers()) {
                if (wanted.contains(w.profile())) {
                    have.add(w.profile());
                } else {
                    RenditionWorker removed = pipeline.remove(w.profile());
                    if (removed != null) {
                        retirements.add(() -> retire(source, removed));
                    }
                }
            }
        }
        List<TranscodeProfile> adding = new ArrayList<>();
        int encodersNow = encodersRunning();
        for (TranscodeProfile p : wanted) {
            if (have.contains(p)) {
                continue;
            }
            String rendition = p.renditionOf(source);
            if (encodersNow >= c.maxEncoders()) {
                if (!forPushes.contains(p)) {
                    if (players.refuse(rendition)) {
                        log.warn("{}: a player asked for this rendition, but {} encoders already run "
                                + "(transcode.maxEncoders: {}); refused, the player waits until one is free",
                                rendition, encodersNow, c.maxEncoders());
                        metrics.playerRenditionRefused(); // after the log: whoever sees the count finds the line
                    }
                    continue;
                }
                log.warn("{}: starting for a push although {} encoders already run (transcode.maxEncoders: {}); "
                        + "pushes are never refused", rendition, encodersNow, c.maxEncoders());
            }
            adding.add(p);
            encodersNow++;
        }
        if (pipeline == null && !adding.isEmpty()) {
            pipeline = newPipeline(source);
        }
        for (TranscodeProfile p : adding) {
            if (start(pipeline, source, p) && players.admit(p.renditionOf(source))) {
                log.info("{}: an encoder is free now; started for the waiting player", p.renditionOf(source));
            }
        }
        Set<TranscodeProfile> runningNow = new LinkedHashSet<>();
        if (pipeline != null) {
            pipeline.workers().forEach(w -> runningNow.add(w.profile()));
            if (runningNow.isEmpty()) {
                pipelines.remove(source, pipeline);
                SourcePipeline gone = pipeline;
                gone.stop();
                retirements.add(() -> stopAndWait(gone));
                pipeline = null;
            }
        }
        boolean playersServed = forPlayers.stream().anyMatch(runningNow::contains);
        if (pipeline != null) {
            pipeline.keepAfterSourceEnds(exactPushes || playersServed);
            if (!pipeline.started()) {
                pipeline.start();
            }
        }
        holdDemand(source, pipeline != null && playersServed);
    }

    private SourcePipeline newPipeline(String source) {
        SourcePipeline[] self = new SourcePipeline[1];
        SourcePipeline p = new SourcePipeline(source, hub, limits, metrics, false, config.cascadeScaling(), () -> {
            // Exited on its own, not stopped by us: let the control thread look again. After its source ended
            // (a wildcard route's), at once, in case a player asked for it just as it was leaving; after a
            // failure, or being shed by the hub, a little later.
            if (pipelines.remove(source, self[0]) && running) {
                if (self[0].endedWithSource()) {
                    wakeups.add(source);
                } else {
                    retryAtNanos.put(source, System.nanoTime() + RETRY_AFTER_FAILURE_NANOS);
                }
            }
        });
        self[0] = p;
        pipelines.put(source, p);
        return p;
    }

    private boolean start(SourcePipeline pipeline, String source, TranscodeProfile p) {
        try {
            return pipeline.add(new RenditionWorker(source, p, encoders.encoderFor(p), hub, metrics, false));
        } catch (TranscodeException e) {
            log.error("transcode {}: profile {} cannot run: {}", source, p.name(), e.getMessage());
            return false;
        }
    }

    private int encodersRunning() {
        return pipelines.values().stream().mapToInt(p -> p.workers().size()).sum();
    }

    private void holdDemand(String source, boolean hold) {
        if (hold && !holds.containsKey(source)) {
            holds.put(source, hub.holdDemand(source));
        } else if (!hold && holds.containsKey(source)) {
            holds.remove(source).close();
        }
    }

    private static void retire(String source, RenditionWorker w) {
        if (w == null) {
            return;
        }
        try {
            if (w.retire(EXIT_WAIT_MILLIS)) {
                log.info("transcode {}: removed {}; its encoder is freed", source, w.outName());
            } else {
                log.error("transcode {}: {} did not exit within {} ms of being stopped", source, w.outName(),
                        2 * EXIT_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The request that a player of {@code stream} makes, when it names a rendition of a known profile. */
    private Optional<PlayerDemand.Request> playerRequest(String stream) {
        TranscodeConfig c = config;
        if (!c.playerRenditions() || !TranscodeProfile.isRendition(stream)) {
            return Optional.empty();
        }
        return PlayerDemand.Request.parse(stream).filter(r -> c.profiles().containsKey(r.profile()));
    }

    @Override
    public void demandChanged(String stream, int demand) {
        // Called on the player's session thread: only note it; the control thread does the work.
        if (playerRequest(stream).isPresent()) {
            wakeups.add(stream);
        } else if (demand > 0 && TranscodeProfile.isRendition(stream) && log.isDebugEnabled()) {
            log.debug("{}: played, but names no profile players may start; it waits for a publisher", stream);
        }
    }

    /** A player (or a play2 switch) naming a rendition of a profile players may start, starts it. */
    @Override
    public boolean startsOnDemand(String stream) {
        return playerRequest(stream).isPresent();
    }

    @Override
    public void sourceStarted(String stream) {
        if (TranscodeProfile.isRendition(stream)) {
            return;
        }
        // On the publisher's thread, before its first frame: a wildcard route's pipeline subscribes in time for it.
        boolean wildcardProfiles = table.routeFor(stream).filter(RouteConfig::isWildcard)
                .map(r -> !profilesOf(r).isEmpty()).orElse(false);
        if (wildcardProfiles) {
            List<Runnable> retired;
            lock.lock();
            try {
                if (running) {
                    reconcile(stream);
                }
            } finally {
                retired = takeRetirements();
                lock.unlock();
            }
            retired.forEach(Runnable::run);
        }
    }

    private void control() {
        while (running) {
            List<String> woken = new ArrayList<>();
            try {
                String first = wakeups.poll(SWEEP_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    woken.add(first);
                    wakeups.drainTo(woken);
                }
            } catch (InterruptedException e) {
                return;
            }
            List<Runnable> retired;
            lock.lock();
            try {
                long now = System.nanoTime();
                Set<String> sources = new LinkedHashSet<>();
                for (String name : woken) {
                    if (TranscodeProfile.isRendition(name)) {
                        playerRequest(name).ifPresent(r -> {
                            if (players.observe(r, demandOf(name), now)) {
                                log.info("{}: asked for by a player", name);
                            }
                            sources.add(r.source());
                        });
                    } else {
                        sources.add(name);
                    }
                }
                retryAtNanos.forEach((source, at) -> {
                    if (now - at >= 0 && retryAtNanos.remove(source, at)) {
                        sources.add(source);
                    }
                });
                for (PlayerDemand.Request r : players.sweep(this::demandOf, now, config.onDemandIdle())) {
                    log.info("{}: no player for {} ms (transcode.onDemandIdle); stopping it unless a push needs it",
                            r.rendition(), config.onDemandIdle().toMillis());
                    sources.add(r.source());
                }
                sources.addAll(players.refusedSources());
                if (running) {
                    sources.forEach(this::reconcile);
                }
            } catch (RuntimeException e) {
                log.error("transcode: handling player demand failed: {}", e.toString(), e);
            } finally {
                retired = takeRetirements();
                lock.unlock();
            }
            retired.forEach(Runnable::run);
        }
    }

    private int demandOf(String stream) {
        return hub.find(stream).map(Stream::demand).orElse(0);
    }

    /** Every rendition running now, with its counters. */
    public List<RenditionStatus> renditions() {
        List<RenditionStatus> out = new ArrayList<>();
        pipelines.forEach((stream, p) -> p.workers().forEach(w -> out.add(w.status(stream))));
        return out;
    }

    /** Streams being transcoded now, with their renditions, for the API and tests. */
    public Map<String, List<String>> running() {
        Map<String, List<String>> out = new HashMap<>();
        pipelines.forEach((stream, p) -> {
            List<String> names = p.workers().stream().map(RenditionWorker::outName).toList();
            if (!names.isEmpty()) {
                out.put(stream, names);
            }
        });
        return out;
    }

    private static void stopAndWait(SourcePipeline p) {
        p.stop();
        try {
            p.awaitExit(EXIT_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        hub.removeListener(this);
        running = false;
        control.interrupt();
        lock.lock();
        try {
            List<SourcePipeline> all = List.copyOf(pipelines.values());
            pipelines.clear();
            all.forEach(SourcePipeline::stop);
            all.forEach(Transcoder::stopAndWait);
            holds.values().forEach(StreamHub.DemandHold::close);
            holds.clear();
        } finally {
            lock.unlock();
        }
        try {
            control.join(EXIT_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
