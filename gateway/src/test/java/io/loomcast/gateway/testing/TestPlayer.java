package io.loomcast.gateway.testing;

import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.protocol.message.AudioMessage;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.StreamBegin;
import io.loomcast.gateway.protocol.message.StreamEof;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A player for tests that need many cheap players: our {@link RtmpClient} connects, creates a stream and
 * plays, then one virtual thread records every audio/video frame (with its arrival time) and every status
 * code and stream event. Waiting is on conditions over what was recorded ({@link Observed}).
 *
 * <p>NetStream.Play.Start is not among the events: the client consumes it before {@code play} returns.
 */
public final class TestPlayer extends Observed<TestPlayer> implements AutoCloseable {
    /** No read timeout: a player waits as long as its test lets it for a publisher to come. */
    private static final ClientOptions OPTIONS = ClientOptions.DEFAULT.withReadTimeout(Duration.ZERO);

    private final RtmpUrl url;
    private final Thread thread;
    private volatile RtmpClient client;

    private final List<MediaFrame> frames = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private boolean playing;
    private boolean ended;
    private String endReason;

    private TestPlayer(RtmpUrl url) {
        this.url = url;
        this.thread = Thread.ofVirtual().name("test-player-" + url.streamName()).start(this::run);
    }

    /** Starts a player of {@code app/streamName}; it connects and plays in the background. */
    public static TestPlayer play(InetSocketAddress server, String app, String streamName) {
        return new TestPlayer(RtmpUrl.parse("rtmp://%s:%d/%s/%s".formatted(server.getHostString(), server.getPort(),
                app, streamName)));
    }

    private void run() {
        String reason;
        try (RtmpClient c = RtmpClient.connect(url, OPTIONS)) {
            client = c;
            c.play(c.createStream(), url.streamName(), -1000);
            update(() -> playing = true);
            while (true) {
                Message m = c.read();
                long now = System.nanoTime();
                switch (m) {
                    case AudioMessage a -> media(MediaFrame.of(Frame.Kind.AUDIO, a.timestamp(), a.data(), now));
                    case VideoMessage v -> media(MediaFrame.of(Frame.Kind.VIDEO, v.timestamp(), v.data(), now));
                    case StreamBegin b when b.streamId() == 0 -> { } // the connection's, before play
                    case StreamBegin b -> event("StreamBegin");
                    case StreamEof e -> event("StreamEOF");
                    case CommandMessage cm when cm.name().equals(CommandMessage.ON_STATUS) ->
                            event(cm.infoField("code").orElse("onStatus without code"));
                    default -> { }
                }
            }
        } catch (IOException e) {
            reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            reason = "player failed: " + e;
        }
        String r = reason;
        update(() -> {
            ended = true;
            endReason = r;
        });
    }

    private void media(MediaFrame f) {
        update(() -> frames.add(f));
    }

    private void event(String e) {
        update(() -> events.add(e));
    }

    /** Audio and video frames received so far, sequence headers included. */
    public List<MediaFrame> frames() {
        return read(() -> List.copyOf(frames));
    }

    /** Status codes and stream events received since play started, in order. */
    public List<String> events() {
        return read(() -> List.copyOf(events));
    }

    /** Whether play was answered with NetStream.Play.Start. */
    public boolean playing() {
        return read(() -> playing);
    }

    /** Whether the session is over; {@link #endReason()} says why. */
    public boolean ended() {
        return read(() -> ended);
    }

    public String endReason() {
        return read(() -> endReason);
    }

    public void awaitEvent(String code, Duration timeout) {
        await(p -> p.events().contains(code), timeout, "'" + code + "' at " + url);
    }

    @Override
    public void close() {
        RtmpClient c = client;
        if (c != null) {
            c.close();
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return read(() -> "TestPlayer[%s frames=%d events=%s ended=%s %s]".formatted(url, frames.size(), events,
                ended, endReason == null ? "" : endReason));
    }
}
