package io.loomcast.gateway.api;

import io.loomcast.gateway.auth.DenyReason;
import io.loomcast.gateway.hub.Stream;
import io.loomcast.gateway.routing.RelayState;
import io.loomcast.gateway.routing.RelayStatus;
import io.loomcast.gateway.session.FanOut;
import io.loomcast.gateway.session.Refusal;
import io.loomcast.gateway.session.ServerCounters;
import io.loomcast.gateway.session.SessionInfo;
import io.loomcast.gateway.transcode.RenditionStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code loomcast_} families, read fresh from the hub, the relay, the sessions and the transcoder at each
 * scrape: a stream's series exist while the stream does and drop off when it ends, so the label sets are bounded
 * by what runs (and per-stream families by {@link #MAX_STREAMS} on top). Labels are stream names, route and push
 * ids and fixed words: never a URL, so never a stream key or a token.
 */
final class GatewayMetrics implements MultiCollector {
    /** Streams with series of their own; the rest count in {@code loomcast_streams_unlabelled}. */
    static final int MAX_STREAMS = 500;

    private final GatewayControl gateway;
    private final RateMeter rates;

    GatewayMetrics(GatewayControl gateway, RateMeter rates) {
        this.gateway = gateway;
        this.rates = rates;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        List<RelayStatus> relay = gateway.relay().status();
        sessions(out, relay);
        failures(out);
        streams(out);
        pushes(out, relay);
        renditions(out);
        fanOut(out);
        Counters dropped = new Counters();
        gateway.hub().droppedFramesByKind().forEach((kind, n) -> dropped.add(n, "kind", kind));
        out.add(dropped.build("loomcast_subscriber_queue_dropped_frames",
                "Frames dropped from subscriber queues that fell behind, by subscriber kind (player, push, transcode)"));
        return new MetricSnapshots(out);
    }

    private void sessions(List<MetricSnapshot> out, List<RelayStatus> relay) {
        Map<String, Long> byKind = new TreeMap<>();
        for (String k : List.of("publisher", "player", "connected", "push", "pull")) {
            byKind.put(k, 0L);
        }
        for (SessionInfo s : gateway.rtmp().sessions()) {
            byKind.merge(s.kind(), 1L, Long::sum);
        }
        for (RelayStatus r : relay) {
            if (r.state() == RelayState.LIVE || r.state() == RelayState.CONNECTING) {
                byKind.merge(r.kind(), 1L, Long::sum);
            }
        }
        Gauges g = new Gauges();
        byKind.forEach((k, n) -> g.add(n, "kind", k));
        out.add(g.build("loomcast_sessions",
                "Open sessions by kind: publisher, player and connected (server side), push and pull (client side)"));
    }

    private void failures(List<MetricSnapshot> out) {
        ServerCounters c = gateway.rtmp().counters();
        Map<String, LongAdder> byReason = new LinkedHashMap<>();
        byReason.put("accept", c.acceptFailures);
        byReason.put("handshake", c.handshakeFailures);
        byReason.put("protocol", c.protocolErrors);
        byReason.put("connection_limit", c.connectionsRejected);
        byReason.put("publish_refused", c.publishRejected);
        byReason.put("unknown_command", c.unknownCommands);
        Counters f = new Counters();
        byReason.forEach((reason, n) -> f.add(n.sum(), "reason", reason));
        out.add(f.build("loomcast_session_failures", "Connections and commands that failed, by reason"));
        Counters a = new Counters();
        a.add(c.connectionsAccepted.sum());
        out.add(a.build("loomcast_connections_accepted", "RTMP connections accepted"));
        Counters refused = new Counters();
        for (Refusal r : Refusal.values()) {
            refused.add(c.refusals(r), "reason", r.label());
        }
        out.add(refused.build("loomcast_connections_refused",
                "Connections refused or cut off for a rule or a limit, by reason (docs/security.md)"));
        Counters denied = new Counters();
        for (DenyReason r : DenyReason.values()) {
            denied.add(c.authDenials(r), "reason", r.label());
        }
        out.add(denied.build("loomcast_auth_denied", "Publishes and plays the auth rules refused, by reason"));
    }

    private void fanOut(List<MetricSnapshot> out) {
        FanOut f = gateway.rtmp().fanOut();
        Counters writes = new Counters();
        writes.add(f.flusherWrites(), "by", "stream_flusher");
        writes.add(f.writerWrites(), "by", "connection_writer");
        out.add(writes.build("loomcast_player_writes",
                "Write calls to players: by a stream's flusher (players that keep up) or by the connection's own writer"));
        Counters back = new Counters();
        back.add(f.handedBack());
        out.add(back.build("loomcast_player_handed_back",
                "Times a player's socket stayed full under its stream's flusher, so its own writer took it back"));
        Counters passes = new Counters();
        passes.add(f.passes());
        out.add(passes.build("loomcast_flusher_passes",
                "Passes of the stream flushers, each one write to every player served that has something queued"));
        Counters passTime = new Counters();
        passTime.add(f.passNanos() / 1e9);
        out.add(passTime.build("loomcast_flusher_pass_seconds", "Time the stream flushers' passes took"));
        Gauges longest = new Gauges();
        longest.add(f.longestPassNanos() / 1e9);
        out.add(longest.build("loomcast_flusher_longest_pass_seconds",
                "The longest flusher pass so far: near a second, players wait that long between writes"));
    }

    private void streams(List<MetricSnapshot> out) {
        List<Stream> all = new ArrayList<>(gateway.hub().streams());
        all.sort(Comparator.comparing(Stream::name));
        Counters in = new Counters();
        Counters outBytes = new Counters();
        Counters dropped = new Counters();
        Gauges players = new Gauges();
        Gauges live = new Gauges();
        int labelled = Math.min(all.size(), MAX_STREAMS);
        for (Stream s : all.subList(0, labelled)) {
            in.add(s.bytesIn(), "stream", s.name());
            outBytes.add(s.bytesOut(), "stream", s.name());
            dropped.add(s.droppedFrames(), "stream", s.name());
            players.add(s.players(), "stream", s.name());
            live.add(s.live() ? 1 : 0, "stream", s.name());
        }
        out.add(in.build("loomcast_stream_received_bytes", "Media bytes a stream received from its source"));
        out.add(outBytes.build("loomcast_stream_sent_bytes",
                "Media bytes a stream's subscribers (players, pushes, transcoders) took to send"));
        out.add(dropped.build("loomcast_stream_dropped_frames", "Frames dropped for a stream's slow subscribers"));
        out.add(players.build("loomcast_stream_players", "Players of a stream"));
        out.add(live.build("loomcast_stream_live", "1 while a stream has a source"));
        Gauges rest = new Gauges();
        rest.add(all.size() - labelled);
        out.add(rest.build("loomcast_streams_unlabelled",
                "Streams beyond the first " + MAX_STREAMS + " (by name), counted here without series of their own"));
    }

    private void pushes(List<MetricSnapshot> out, List<RelayStatus> relay) {
        Gauges state = new Gauges();
        Counters reconnects = new Counters();
        Counters bytes = new Counters();
        Gauges kbps = new Gauges();
        for (RelayStatus r : relay) {
            if (!r.kind().equals("push")) {
                continue;
            }
            String[] id = {"route", r.routeId(), "push", r.pushId(), "stream", r.stream()};
            for (RelayState s : EnumSet.allOf(RelayState.class)) {
                String name = StreamSnapshots.state(s);
                if (s == RelayState.STOPPED) {
                    continue; // a stopped push has no series: it is gone
                }
                state.add(r.state() == s ? 1 : 0, id[0], id[1], id[2], id[3], id[4], id[5], "state", name);
            }
            reconnects.add(r.failures(), id);
            bytes.add(r.bytes(), id);
            kbps.add(rates.kbps(RateMeter.pushKey(r.routeId(), r.pushId(), r.stream())), id);
        }
        out.add(state.build("loomcast_push_state", "1 for the state a push is in, 0 for the others"));
        out.add(reconnects.build("loomcast_push_reconnects", "Times a push failed and connected again"));
        out.add(bytes.build("loomcast_push_sent_bytes", "Media bytes a push sent to its destination"));
        out.add(kbps.build("loomcast_push_kbps", "A push's sending rate over the last seconds, kilobits per second"));
    }

    private void renditions(List<MetricSnapshot> out) {
        Gauges fps = new Gauges();
        Gauges speed = new Gauges();
        Counters dropped = new Counters();
        for (RenditionStatus r : gateway.renditions()) {
            String[] l = {"stream", r.source(), "profile", r.profile()};
            fps.add(rates.perSecond(RateMeter.renditionKey(r.rendition(), "frames")), l);
            speed.add(rates.perSecond(RateMeter.renditionKey(r.rendition(), "media")) / 1000.0, l);
            dropped.add(r.droppedFrames(), l);
        }
        out.add(fps.build("loomcast_rendition_fps", "Frames a rendition encodes per second"));
        out.add(speed.build("loomcast_rendition_speed",
                "Media seconds a rendition encodes per second of wall time: 1 is real time, below 1 is falling behind"));
        out.add(dropped.build("loomcast_rendition_dropped_frames", "Input frames a rendition dropped to keep up"));
    }

    /** Data points of one counter family. */
    private static final class Counters {
        private final CounterSnapshot.Builder b = CounterSnapshot.builder();

        void add(double value, String... labels) {
            b.dataPoint(CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build());
        }

        MetricSnapshot build(String name, String help) {
            return b.name(name).help(help).build();
        }
    }

    /** Data points of one gauge family. */
    private static final class Gauges {
        private final GaugeSnapshot.Builder b = GaugeSnapshot.builder();

        void add(double value, String... labels) {
            b.dataPoint(GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build());
        }

        MetricSnapshot build(String name, String help) {
            return b.name(name).help(help).build();
        }
    }
}
