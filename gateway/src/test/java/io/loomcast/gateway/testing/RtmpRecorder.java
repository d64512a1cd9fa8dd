package io.loomcast.gateway.testing;

import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.FlvWriter;
import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.message.AudioMessage;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.DataMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.MessageCodec;
import io.loomcast.gateway.protocol.message.MessageTypes;
import io.loomcast.gateway.protocol.message.StreamBegin;
import io.loomcast.gateway.protocol.message.StreamEof;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A player that records what it receives: our RTMP client plays a URL on its own virtual thread and every
 * audio, video and data message goes into an FLV file through {@link FlvWriter}, timestamps exactly as they
 * arrived (no muxer repairs them). Each tag's arrival time is kept too, to measure stalls in wall-clock
 * time, and so is what the server said about the stream (UnpublishNotify, Stream EOF). Unlike
 * {@link TestPlayer}, it plays any URL (nginx, node-media-server) and leaves a file for ffprobe.
 */
public final class RtmpRecorder implements AutoCloseable {

    /** One received tag: FLV type (8, 9, 18), RTMP timestamp, when it arrived, and what kind of frame it is. */
    public record Tag(int type, long timestampMs, long arrivalNanos, boolean keyframe, boolean config) {
        public boolean video() {
            return type == MessageTypes.VIDEO;
        }

        public boolean audio() {
            return type == MessageTypes.AUDIO;
        }

        /** A coded audio or video frame: not a sequence header, not metadata. */
        public boolean frame() {
            return (video() || audio()) && !config;
        }
    }

    private final String url;
    private final Path file;
    private final RtmpClient client;
    private final FlvWriter writer;
    private final Thread thread;
    private final List<Tag> tags = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    private volatile String ended;

    private RtmpRecorder(String url, Path file, RtmpClient client) throws IOException {
        this.url = url;
        this.file = file;
        this.client = client;
        this.writer = new FlvWriter(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), true, true);
        this.thread = Thread.ofVirtual().name("recorder " + url).start(this::run);
    }

    /** Connects and plays {@code url} (live), recording into {@code file}; returns once play has started. */
    public static RtmpRecorder start(String url, Path file) throws IOException {
        return start(url, file, ClientOptions.DEFAULT);
    }

    /** As {@link #start(String, Path)}, connecting with {@code options} (an rtmps CA, say); no read timeout. */
    public static RtmpRecorder start(String url, Path file, ClientOptions options) throws IOException {
        RtmpUrl u = RtmpUrl.parse(url);
        RtmpClient c = RtmpClient.connect(u, options.withReadTimeout(Duration.ZERO));
        try {
            int id = c.createStream();
            c.play(id, u.streamName(), -1);
            return new RtmpRecorder(url, file, c);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void run() {
        try {
            while (true) {
                Message m = client.read();
                switch (m) {
                    case VideoMessage v -> {
                        boolean key = false;
                        boolean config = false;
                        try {
                            var t = FlvTags.parseVideo(v.data());
                            key = t.isKeyframe();
                            config = t.isSequenceHeader();
                        } catch (ProtocolException e) {
                            // Recorded anyway; a test that cares looks at the file.
                        }
                        record(MessageTypes.VIDEO, v.timestamp(), v.data(), key, config);
                    }
                    case AudioMessage a -> {
                        boolean config = false;
                        try {
                            config = FlvTags.parseAudio(a.data()).isSequenceHeader();
                        } catch (ProtocolException e) {
                            // As above.
                        }
                        record(MessageTypes.AUDIO, a.timestamp(), a.data(), false, config);
                    }
                    case DataMessage d -> record(MessageTypes.DATA_AMF0, d.timestamp(), MessageCodec.payload(d), false,
                            true);
                    case CommandMessage c when c.name().equals(CommandMessage.ON_STATUS) -> {
                        notice(c.argument(0).filter(AmfValue.Obj.class::isInstance).map(AmfValue.Obj.class::cast)
                                .flatMap(o -> o.string("code")).orElse(""));
                    }
                    case StreamBegin b when b.streamId() == 0 -> { } // the connection's, before play
                    case StreamBegin b -> notice("StreamBegin");
                    case StreamEof e -> notice("StreamEof");
                    default -> { }
                }
            }
        } catch (IOException e) {
            ended = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private void notice(String what) {
        synchronized (tags) {
            notices.add(what);
        }
    }

    private void record(int type, long ts, byte[] body, boolean key, boolean config) throws IOException {
        long now = System.nanoTime();
        writer.write(type, ts, body);
        synchronized (tags) {
            tags.add(new Tag(type, ts, now, key, config));
        }
    }

    /** Everything received so far, in arrival order. */
    public List<Tag> tags() {
        synchronized (tags) {
            return List.copyOf(tags);
        }
    }

    /** Coded video frames received so far (sequence headers not counted). */
    public long videoFrames() {
        return tags().stream().filter(t -> t.video() && t.frame()).count();
    }

    public long audioFrames() {
        return tags().stream().filter(t -> t.audio() && t.frame()).count();
    }

    /**
     * What the server said about the stream after play started, in order: onStatus codes
     * ({@code NetStream.Play.UnpublishNotify}) and the user control events {@code StreamBegin} and
     * {@code StreamEof}. nginx-rtmp tells its players that a publisher left with Stream EOF alone.
     */
    public List<String> notices() {
        synchronized (tags) {
            return List.copyOf(notices);
        }
    }

    /** Why the connection ended, or null while it is up. */
    public String ended() {
        return ended;
    }

    public String url() {
        return url;
    }

    /** Stops playing and closes the file; returns it. */
    public Path finish() throws IOException {
        close();
        return file;
    }

    @Override
    public void close() throws IOException {
        client.close();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
    }

    @Override
    public String toString() {
        return "recorder of %s: %d video frames, %d audio frames, notices %s, %s".formatted(url, videoFrames(),
                audioFrames(), notices(), ended == null ? "connected" : "ended: " + ended);
    }
}
