package io.loomcast.gateway.transcode;

import io.loomcast.gateway.config.PushConfig;
import io.loomcast.gateway.config.RouteConfig;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the transcodes the routing table asks for: one {@link SourcePipeline} per source stream that has a
 * push with {@code transcode: PROFILE}, with one encoder per distinct profile, however many pushes share it.
 * Each profile's output is the local stream {@code app/name@profile}; the pushes subscribe to that.
 *
 * <p>Exact routes' pipelines exist from the start and wait for their source; wildcard routes' pipelines start
 * when a matching stream gets a source and end with it. {@link #apply} reconciles like the relay does: a
 * stream whose set of profiles is unchanged keeps its pipeline.
 */
public final class Transcoder implements HubListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Transcoder.class);
    private static final long EXIT_WAIT_MILLIS = 3_000;

    private record Key(String stream, Set<TranscodeProfile> profiles) {}

    private final StreamHub hub;
    private final FfmpegRuntime ffmpeg;
    private final QueueLimits limits;
    private final TranscodeMetrics metrics = new TranscodeMetrics();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Key, SourcePipeline> pipelines = new ConcurrentHashMap<>();
    private final Map<TranscodeProfile, String> encoders = new HashMap<>();
    private volatile RoutingTable table = RoutingTable.EMPTY;

    public Transcoder(StreamHub hub, FfmpegRuntime ffmpeg, QueueLimits limits) {
        this.hub = hub;
        this.ffmpeg = ffmpeg;
        this.limits = limits;
        hub.addListener(this);
    }

    public TranscodeMetrics metrics() {
        return metrics;
    }

    /** The profiles the pushes of {@code route} ask for, each once. */
    static Set<TranscodeProfile> profilesOf(RouteConfig route) {
        Set<TranscodeProfile> out = new LinkedHashSet<>();
        for (PushConfig p : route.pushes()) {
            p.transcode().ifPresent(out::add);
        }
        return out;
    }

    /**
     * Checks that every profile in {@code table} can be encoded with these natives, and logs which encoder
     * each gets and why. Call before {@link #apply}, so a bad profile fails startup or reload, not a stream.
     */
    public void check(RoutingTable next) throws TranscodeException {
        for (RouteConfig r : next.routes()) {
            for (TranscodeProfile p : profilesOf(r)) {
                encoderFor(p);
            }
        }
    }

    private String encoderFor(TranscodeProfile p) throws TranscodeException {
        lock.lock();
        try {
            String name = encoders.get(p);
            if (name == null) {
                name = ffmpeg.h264Encoder(p.video().encoder());
                VideoEncoder.probe(name, p.video());
                encoders.put(p, name);
                String why = switch (p.video().encoder()) {
                    case AUTO -> "encoder: auto, and " + ffmpeg.autoReason();
                    default -> "named in the profile";
                };
                log.info("transcode profile {}: H.264 encoder {} ({}); audio {}", p.name(), name, why,
                        p.audio() instanceof io.loomcast.gateway.config.AudioProfile.Encode e
                                ? "re-encoded to AAC " + e.bitrate() + " " + e.sampleRateHz() + " Hz " + e.channels() + " ch"
                                : "copied");
            }
            return name;
        } finally {
            lock.unlock();
        }
    }

    /** Makes the running pipelines match {@code next}. */
    public void apply(RoutingTable next) {
        lock.lock();
        try {
            table = next;
            Map<String, Set<TranscodeProfile>> wanted = new HashMap<>();
            for (RouteConfig r : next.exactRoutes()) {
                Set<TranscodeProfile> ps = profilesOf(r);
                if (!ps.isEmpty()) {
                    wanted.put(r.stream(), ps);
                }
            }
            for (Stream s : hub.streams()) {
                if (s.live() && !TranscodeProfile.isRendition(s.name()) && !wanted.containsKey(s.name())) {
                    next.routeFor(s.name()).filter(RouteConfig::isWildcard).map(Transcoder::profilesOf)
                            .filter(ps -> !ps.isEmpty()).ifPresent(ps -> wanted.put(s.name(), ps));
                }
            }
            for (Map.Entry<Key, SourcePipeline> e : List.copyOf(pipelines.entrySet())) {
                if (!e.getKey().profiles().equals(wanted.get(e.getKey().stream()))) {
                    pipelines.remove(e.getKey());
                    stopAndWait(e.getValue());
                }
            }
            for (Map.Entry<String, Set<TranscodeProfile>> e : wanted.entrySet()) {
                Key k = new Key(e.getKey(), e.getValue());
                if (!pipelines.containsKey(k)) {
                    boolean wildcard = next.routeFor(k.stream()).map(RouteConfig::isWildcard).orElse(false);
                    start(k, wildcard);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void start(Key k, boolean exitWhenSourceEnds) {
        List<RenditionWorker> workers = new ArrayList<>();
        for (TranscodeProfile p : k.profiles()) {
            try {
                workers.add(new RenditionWorker(k.stream(), p, encoderFor(p), hub, metrics, false));
            } catch (TranscodeException e) {
                log.error("transcode {}: profile {} cannot run: {}", k.stream(), p.name(), e.getMessage());
            }
        }
        if (workers.isEmpty()) {
            return;
        }
        SourcePipeline[] self = new SourcePipeline[1];
        SourcePipeline pipeline = new SourcePipeline(k.stream(), workers, hub, limits, metrics, exitWhenSourceEnds,
                () -> pipelines.remove(k, self[0]));
        self[0] = pipeline;
        pipelines.put(k, pipeline);
        pipeline.start();
    }

    @Override
    public void sourceStarted(String stream) {
        if (TranscodeProfile.isRendition(stream)) {
            return;
        }
        RoutingTable t = table;
        t.routeFor(stream).filter(RouteConfig::isWildcard).ifPresent(r -> {
            Set<TranscodeProfile> ps = profilesOf(r);
            if (ps.isEmpty()) {
                return;
            }
            lock.lock();
            try {
                Key k = new Key(stream, ps);
                if (!pipelines.containsKey(k)) {
                    start(k, true);
                }
            } finally {
                lock.unlock();
            }
        });
    }

    /** Streams being transcoded now, with their renditions, for the API and tests. */
    public Map<String, List<String>> running() {
        Map<String, List<String>> out = new HashMap<>();
        pipelines.keySet().forEach(k -> out.put(k.stream(),
                k.profiles().stream().map(p -> p.renditionOf(k.stream())).toList()));
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
        lock.lock();
        try {
            List<SourcePipeline> all = List.copyOf(pipelines.values());
            pipelines.clear();
            all.forEach(SourcePipeline::stop);
            all.forEach(Transcoder::stopAndWait);
        } finally {
            lock.unlock();
        }
    }
}
