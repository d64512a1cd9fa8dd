package io.loomcast.gateway.api;

import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.PushConfig;
import io.loomcast.gateway.config.Redaction;
import io.loomcast.gateway.config.RouteConfig;
import io.loomcast.gateway.config.StreamName;
import io.loomcast.gateway.config.TranscodeProfile;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.Stream;
import io.loomcast.gateway.media.AacAudioConfig;
import io.loomcast.gateway.media.AudioCodec;
import io.loomcast.gateway.media.AudioTag;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.VideoDecoderConfig;
import io.loomcast.gateway.media.VideoTag;
import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.routing.RelayState;
import io.loomcast.gateway.routing.RelayStatus;
import io.loomcast.gateway.session.SessionInfo;
import io.loomcast.gateway.transcode.RenditionStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Builds the API's view of streams from one read of the hub, the relay, the sessions and the transcoder. */
final class StreamSnapshots {
    private final GatewayControl gateway;
    private final RateMeter rates;

    StreamSnapshots(GatewayControl gateway, RateMeter rates) {
        this.gateway = gateway;
        this.rates = rates;
    }

    List<Views.Stream> all() {
        Context c = context();
        return gateway.hub().streams().stream().sorted(Comparator.comparing(Stream::name)).map(s -> view(s, c)).toList();
    }

    Optional<Views.Stream> one(String path) {
        return gateway.hub().find(path).map(s -> view(s, context()));
    }

    /** What every stream's view reads, read once per request. */
    private record Context(GatewayConfig config, List<RelayStatus> relay, Map<String, SessionInfo> sessions,
            List<RenditionStatus> renditions) {}

    private Context context() {
        return new Context(gateway.config(), gateway.relay().status(),
                gateway.rtmp().sessions().stream().collect(Collectors.toMap(SessionInfo::id, Function.identity())),
                gateway.renditions());
    }

    private Views.Stream view(Stream s, Context c) {
        int slash = s.name().indexOf('/');
        String app = slash < 0 ? s.name() : s.name().substring(0, slash);
        String name = slash < 0 ? "" : s.name().substring(slash + 1);
        Stream.Headers h = s.headers();
        return new Views.Stream(s.name(), app, name, source(s, c), video(s, h.video()), audio(s, h.audio()),
                s.players(), s.bytesIn(), s.bytesOut(), s.droppedFrames(), pushes(s.name(), c), renditions(s.name(), c),
                rates.history(s.name()));
    }

    private Views.Source source(Stream s, Context c) {
        Optional<String> owner = s.sourceOwner();
        double uptime = s.sourceSinceMillis() == 0 ? 0
                : RateMeter.round((System.currentTimeMillis() - s.sourceSinceMillis()) / 1000.0);
        if (owner.isEmpty()) {
            return new Views.Source("none", "idle", null, null, null, 0);
        }
        String o = owner.get();
        if (o.startsWith("pull ")) {
            // The owner text holds the pull's URL already redacted.
            return new Views.Source("pull", "live", null, null, o.substring(5), uptime);
        }
        if (o.startsWith("transcode")) {
            return new Views.Source("transcode", "live", null, null, null, uptime);
        }
        SessionInfo session = c.sessions().get(o);
        return new Views.Source("publisher", "live", session == null ? null : session.peer(), o, null, uptime);
    }

    private Views.Video video(Stream s, Frame header) {
        if (header == null) {
            return null;
        }
        String codec;
        int width = 0;
        int height = 0;
        try {
            VideoTag tag = FlvTags.parseVideo(header.payload());
            codec = codecName(tag.codec().name());
            Optional<VideoDecoderConfig> config = VideoDecoderConfig.parse(tag, header.payload());
            if (config.isPresent()) {
                width = config.get().width();
                height = config.get().height();
            }
        } catch (ProtocolException e) {
            codec = "unknown";
        }
        return new Views.Video(codec, width, height,
                RateMeter.round(rates.perSecond(RateMeter.streamKey(s.name(), "frames"))),
                rates.kbps(RateMeter.streamKey(s.name(), "video")));
    }

    private Views.Audio audio(Stream s, Frame header) {
        if (header == null) {
            return null;
        }
        String codec;
        int rate = 0;
        int channels = 0;
        try {
            AudioTag tag = FlvTags.parseAudio(header.payload());
            codec = codecName(tag.codec().name());
            if (tag.codec() == AudioCodec.AAC && tag.payloadLength() > 0) {
                AacAudioConfig aac = AacAudioConfig.parse(header.payload(), tag.payloadOffset(), tag.payloadLength());
                rate = aac.outputSamplingFrequencyHz();
                channels = aac.channels();
            } else {
                rate = tag.legacyRateHz();
                channels = tag.legacyChannels();
            }
        } catch (ProtocolException e) {
            codec = "unknown";
        }
        return new Views.Audio(codec, rate, channels, rates.kbps(RateMeter.streamKey(s.name(), "audio")));
    }

    private static String codecName(String enumName) {
        return switch (enumName) {
            case "AVC" -> "h264";
            default -> enumName.toLowerCase(Locale.ROOT);
        };
    }

    /** The pushes of the stream's route, running or not, with what the relay says of each for this stream. */
    private List<Views.Push> pushes(String stream, Context c) {
        if (TranscodeProfile.isRendition(stream)) {
            return List.of();
        }
        StreamName name;
        try {
            name = StreamName.parse(stream);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        Optional<RouteConfig> route = c.config().routeFor(name);
        if (route.isEmpty()) {
            return List.of();
        }
        List<Views.Push> out = new ArrayList<>();
        for (PushConfig p : route.get().pushes()) {
            String url = Redaction.url(p.urlFor(name));
            Optional<RelayStatus> st = c.relay().stream().filter(r -> r.kind().equals("push") && r.stream().equals(stream)
                    && r.routeId().equals(route.get().id()) && r.pushId().equals(p.id())).findFirst();
            String state = !p.enabled() ? "disabled" : st.map(r -> state(r.state())).orElse("idle");
            out.add(new Views.Push(route.get().id(), p.id(), url, p.enabled(), state,
                    st.map(RelayStatus::failures).orElse(0L), st.map(RelayStatus::lastError).orElse(""),
                    p.enabled() ? rates.kbps(RateMeter.pushKey(route.get().id(), p.id(), stream)) : 0,
                    st.map(RelayStatus::bytes).orElse(0L), st.map(RelayStatus::droppedFrames).orElse(0L)));
        }
        return out;
    }

    /** The API's name for a relay state. */
    static String state(RelayState s) {
        return switch (s) {
            case IDLE -> "idle";
            case CONNECTING -> "connecting";
            case LIVE -> "live";
            case STALLED -> "stalled";
            case BACKOFF -> "backoff";
            case FAILED -> "failed";
            case STOPPED -> "disabled";
        };
    }

    private List<Views.Rendition> renditions(String stream, Context c) {
        return c.renditions().stream().filter(r -> r.source().equals(stream)).map(r -> new Views.Rendition(
                r.rendition(), r.profile(), r.encoder(),
                RateMeter.round(rates.perSecond(RateMeter.renditionKey(r.rendition(), "frames"))),
                Math.round(rates.perSecond(RateMeter.renditionKey(r.rendition(), "media"))) / 1000.0,
                r.droppedFrames())).toList();
    }

    List<Views.Session> sessions() {
        long now = System.currentTimeMillis();
        return gateway.rtmp().sessions().stream().map(s -> new Views.Session(s.id(), s.peer(), s.kind(), s.streams(),
                RateMeter.round((now - s.startMillis()) / 1000.0), s.bytesIn(), s.bytesOut())).toList();
    }
}
