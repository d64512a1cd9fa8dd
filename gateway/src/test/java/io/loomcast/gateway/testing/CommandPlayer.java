package io.loomcast.gateway.testing;

import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.message.AudioMessage;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.DataMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.StreamBegin;
import io.loomcast.gateway.protocol.message.StreamEof;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A player a test drives command by command (play2, seek, pause, several plays on one connection): our
 * {@link RtmpClient} connected, with the test's plays made before {@link #startReading()}, then one virtual
 * thread recording every message the server sends, in order, with its message stream id. Commands sent
 * while it reads go through {@link #client()}'s send methods (one reader, any writer).
 */
public final class CommandPlayer extends Observed<CommandPlayer> implements AutoCloseable {

    /** What arrived, by kind. {@code STATUS} is onStatus, {@code PLAY_STATUS} onPlayStatus (a data message). */
    public enum Kind { AUDIO, VIDEO, METADATA, PLAY_STATUS, STATUS, STREAM_BEGIN, STREAM_EOF }

    /**
     * One message as received.
     *
     * @param code     onStatus or onPlayStatus code; for metadata, the stream's width ("320"), for telling streams apart
     * @param payload  audio or video tag body
     */
    public record Seen(int streamId, Kind kind, long timestampMs, String code, byte[] payload, long arrivalNanos) {
        public boolean video() {
            return kind == Kind.VIDEO;
        }

        public boolean media() {
            return kind == Kind.AUDIO || kind == Kind.VIDEO;
        }

        /** AVC or AAC sequence header. */
        public boolean config() {
            return media() && payload.length >= 2 && (kind == Kind.VIDEO ? (payload[0] & 0x0F) == 7 && payload[1] == 0
                    : (payload[0] & 0xF0) >> 4 == 10 && payload[1] == 0);
        }

        public boolean keyframe() {
            return video() && !config() && payload.length >= 1 && (payload[0] & 0xF0) >> 4 == 1;
        }

        /** A coded frame: audio or video, not a sequence header. */
        public boolean frame() {
            return media() && !config();
        }

        @Override
        public String toString() {
            String what = switch (kind) {
                case AUDIO, VIDEO -> kind + (config() ? " config" : keyframe() ? " key" : "");
                default -> kind + (code.isEmpty() ? "" : " " + code);
            };
            return "#%d %s@%d".formatted(streamId, what, timestampMs);
        }
    }

    private final RtmpClient client;
    private final List<Seen> seen = new ArrayList<>();
    private Thread thread;
    private String ended;

    private CommandPlayer(RtmpClient client) {
        this.client = client;
    }

    /** Connects to {@code url}'s app; nothing is played yet. */
    public static CommandPlayer connect(String url) throws IOException {
        return new CommandPlayer(RtmpClient.connect(RtmpUrl.parse(url), ClientOptions.DEFAULT.withReadTimeout(Duration.ZERO)));
    }

    public RtmpClient client() {
        return client;
    }

    /** Starts recording; from here on, only send from the test thread. */
    public CommandPlayer startReading() {
        thread = Thread.ofVirtual().name("command-player").start(this::run);
        return this;
    }

    private void run() {
        String reason;
        try {
            while (true) {
                Message m = client.read();
                long now = System.nanoTime();
                switch (m) {
                    case AudioMessage a -> add(new Seen(a.messageStreamId(), Kind.AUDIO, a.timestamp(), "", a.data(), now));
                    case VideoMessage v -> add(new Seen(v.messageStreamId(), Kind.VIDEO, v.timestamp(), "", v.data(), now));
                    case DataMessage d when d.handler().equals("onMetaData") -> add(new Seen(d.messageStreamId(),
                            Kind.METADATA, d.timestamp(), width(d), new byte[0], now));
                    case DataMessage d when d.handler().equals("onPlayStatus") -> add(new Seen(d.messageStreamId(),
                            Kind.PLAY_STATUS, d.timestamp(), code(d.values()), new byte[0], now));
                    case CommandMessage c when c.name().equals(CommandMessage.ON_STATUS) -> add(new Seen(
                            c.messageStreamId(), Kind.STATUS, c.timestamp(), c.infoField("code").orElse(""),
                            new byte[0], now));
                    case CommandMessage c when c.name().equals(CommandMessage.ERROR) -> add(new Seen(
                            c.messageStreamId(), Kind.STATUS, c.timestamp(), "_error " + c.infoField("code").orElse(""),
                            new byte[0], now));
                    case StreamBegin b -> add(new Seen(b.streamId(), Kind.STREAM_BEGIN, 0, "", new byte[0], now));
                    case StreamEof e -> add(new Seen(e.streamId(), Kind.STREAM_EOF, 0, "", new byte[0], now));
                    default -> { }
                }
            }
        } catch (IOException e) {
            reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        String r = reason;
        update(() -> ended = r);
    }

    private static String width(DataMessage d) {
        for (AmfValue v : d.values()) {
            java.util.Map<String, AmfValue> fields = switch (v) {
                case AmfValue.EcmaArray a -> a.entries();
                case AmfValue.Obj o -> o.properties();
                default -> java.util.Map.of();
            };
            AmfValue w = fields.get("width");
            if (w instanceof AmfValue.Num n) {
                return String.valueOf((long) n.value());
            }
        }
        return "";
    }

    private static String code(List<AmfValue> values) {
        return values.isEmpty() || !(values.getFirst() instanceof AmfValue.Obj o) ? "" : o.string("code").orElse("");
    }

    private void add(Seen s) {
        update(() -> seen.add(s));
    }

    /** Everything received since reading started (and what the plays made before it left for later), in order. */
    public List<Seen> seen() {
        return read(() -> List.copyOf(seen));
    }

    /** What arrived on one message stream. */
    public List<Seen> seen(int streamId) {
        return seen().stream().filter(s -> s.streamId() == streamId).toList();
    }

    /** The index of the first message at or after {@code from} that {@code what} accepts, or -1. */
    public int indexOf(int from, Predicate<Seen> what) {
        List<Seen> all = seen();
        for (int i = Math.max(0, from); i < all.size(); i++) {
            if (what.test(all.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Waits until a message at or after index {@code from} is accepted by {@code what}; returns its index. */
    public int await(int from, Predicate<Seen> what, Duration timeout, String description) {
        await(p -> p.indexOf(from, what) >= 0, timeout, description);
        return indexOf(from, what);
    }

    /** Waits until {@code count} more coded video frames than now arrived on {@code streamId}. */
    public void awaitVideoFrames(int streamId, int count, Duration timeout) {
        long now = countVideo(streamId);
        await(p -> p.countVideo(streamId) >= now + count, timeout, count + " more video frames on stream " + streamId);
    }

    long countVideo(int streamId) {
        return seen().stream().filter(s -> s.streamId() == streamId && s.video() && s.frame()).count();
    }

    /** Why reading ended, or null while connected. */
    public String ended() {
        return read(() -> ended);
    }

    @Override
    public void close() {
        client.close();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        List<Seen> all = seen();
        int from = Math.max(0, all.size() - 40);
        return "CommandPlayer[%d messages, ended=%s, last: %s]".formatted(all.size(), ended(), all.subList(from, all.size()));
    }
}
