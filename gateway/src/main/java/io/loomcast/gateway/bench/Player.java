package io.loomcast.gateway.bench;

import io.loomcast.gateway.bench.BenchMetrics.Timing;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.VideoTag;
import io.loomcast.gateway.protocol.PeerClosedException;
import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.DataMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.MessageCodec;
import io.loomcast.gateway.protocol.message.MessageTypes;
import io.loomcast.gateway.session.RtmpClient;
import io.loomcast.gateway.session.SelectorReads;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

/**
 * One simulated viewer, on its own virtual thread: play, then read until the run ends, accounting bytes and
 * looking only at video tag headers (no decoding). It measures what a viewer feels: time to the first
 * keyframe, frame jitter, stalls, and in latency mode the delay of each stamped frame. With
 * {@code --switch-every} it also asks with play2 to switch between its stream and another, and times each
 * switch from the request to onPlayStatus NetStream.Play.TransitionComplete.
 */
final class Player extends SimulatedClient {
    /** FLV tag header in an aggregate message (FLV 10.1 E.4.1): type, size, timestamp, extension, stream id. */
    private static final int SUB_TAG_HEADER_BYTES = 11;
    private static final int PREVIOUS_TAG_SIZE_BYTES = 4;
    private static final long UINT32 = 0xFFFF_FFFFL;
    /** A read that took longer than this waited for data: with --read-interval the player then waits for a tick. */
    private static final long WOKEN_NANOS = 100_000;

    /** Counted down once this player plays or has failed: latency mode starts its publisher after. */
    private final CountDownLatch settled;
    private final Optional<Ticker> ticker;
    private final SelectorReads reads;
    private final long stallNanos;
    private volatile long bytesRead;

    private long startNanos;
    private long playingNanos;
    private long bytesCounted;
    private long bytesAtPlay;
    private long lastMediaNanos;
    private long lastVideoNanos;
    private long lastVideoTs;
    private boolean keyframeSeen;
    private boolean paced;
    private long stalls;
    private boolean settledYet;
    /** play2 switching: the stream played now, the one a switch waits for (or null), and when to ask next. */
    private String playing;
    private String switchingTo;
    private long switchAskedNanos;
    private long nextSwitchNanos;

    /** @param reads the selector threads that read players once they play; null: each reads on its own thread */
    Player(RtmpUrl url, BenchSettings settings, BenchMetrics metrics, ClientRegistry registry,
           CountDownLatch settled, CountDownLatch finished, Optional<Ticker> ticker, SelectorReads reads) {
        super(url, settings, metrics, registry, finished);
        this.settled = settled;
        this.ticker = ticker;
        this.reads = reads;
        this.stallNanos = settings.stallThreshold().toNanos();
    }

    @Override
    protected void session(RtmpClient client, long startNanos) throws IOException {
        this.startNanos = startNanos;
        account(client);
        int streamId = client.createStream();
        client.play(streamId, url.streamName(), settings.playStart().argument());
        playingNanos = System.nanoTime();
        account(client);
        bytesAtPlay = bytesCounted;
        metrics.record(Timing.PLAY_START, playingNanos - startNanos);
        streaming();
        settle();
        playing = url.streamName();
        nextSwitchNanos = playingNanos + settings.switching().map(s -> s.every().toNanos()).orElse(0L);
        if (reads != null && ticker.isEmpty() && client.canSelect()) {
            readOnSelector(client, streamId);
            return;
        }
        long readFrom = playingNanos;
        while (true) {
            RawMessage m = client.readRaw();
            long now = System.nanoTime();
            account(client);
            onMessage(m, now);
            if (settings.switching().isPresent()) {
                maybeSwitch(client, streamId, now);
            }
            // Batching starts after the first keyframe, so time to first frame keeps full resolution.
            if (ticker.isPresent() && keyframeSeen && now - readFrom > WOKEN_NANOS) {
                ticker.get().awaitTick();
                readFrom = System.nanoTime();
            } else {
                readFrom = now;
            }
        }
    }

    @Override
    protected long progress() {
        return bytesRead;
    }

    private void account(RtmpClient client) {
        long read = client.bytesRead();
        metrics.bytesReceived.add(read - bytesCounted);
        bytesCounted = read;
        bytesRead = read;
    }

    private void onMessage(RawMessage m, long now) {
        switch (m.typeId()) {
            case MessageTypes.AUDIO -> media(now);
            case MessageTypes.VIDEO -> {
                media(now);
                video(m.payload(), 0, m.length(), m.timestamp(), now);
            }
            case MessageTypes.AGGREGATE -> {
                media(now);
                aggregate(m, now);
            }
            case MessageTypes.COMMAND_AMF0, MessageTypes.COMMAND_AMF3, MessageTypes.DATA_AMF0 -> {
                if (switchingTo != null) {
                    switchAnswer(m, now);
                }
            }
            default -> {
                // Other data and commands: bytes only.
            }
        }
    }

    /** Asks for the next switch when it is due and the last one has been answered; on the reading thread. */
    /**
     * Plays on from a selector thread (exact timing, without a thread waking per message), while this thread
     * waits for the end: the selector hands each message here as it arrives.
     */
    private void readOnSelector(RtmpClient client, int streamId) throws IOException {
        CompletableFuture<IOException> end = new CompletableFuture<>();
        reads.add(client, new SelectorReads.Reader() {
            @Override
            public void message(RawMessage m) throws IOException {
                long now = System.nanoTime();
                account(client);
                onMessage(m, now);
                if (settings.switching().isPresent()) {
                    maybeSwitch(client, streamId, now);
                }
            }

            @Override
            public void ended(IOException cause) {
                end.complete(cause != null ? cause : new PeerClosedException("peer closed the connection"));
            }
        });
        IOException cause;
        try {
            cause = end.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new InterruptedIOException("interrupted while playing");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
        throw cause;
    }

    private void maybeSwitch(RtmpClient client, int streamId, long now) throws IOException {
        if (switchingTo != null || now - nextSwitchNanos < 0) {
            return;
        }
        BenchSettings.Switching s = settings.switching().orElseThrow();
        String target = playing.equals(url.streamName()) ? s.to() : url.streamName();
        client.sendPlay2(streamId, target, playing, "switch");
        switchingTo = target;
        switchAskedNanos = now;
        nextSwitchNanos = now + s.every().toNanos();
        metrics.switchesRequested.increment();
    }

    /** While a switch waits: an error status refuses it, onPlayStatus TransitionComplete completes it. */
    private void switchAnswer(RawMessage raw, long now) {
        Message m;
        try {
            m = MessageCodec.decode(raw);
        } catch (ProtocolException e) {
            return; // Not ours to judge, as for video.
        }
        switch (m) {
            case CommandMessage c when c.name().equals(CommandMessage.ON_STATUS)
                    && c.infoField("level").orElse("").equals("error") -> {
                metrics.switchesRefused.increment();
                switchingTo = null;
            }
            case DataMessage d when d.handler().equals("onPlayStatus") && !d.values().isEmpty()
                    && d.values().getFirst() instanceof AmfValue.Obj info
                    && info.string("code").orElse("").equals("NetStream.Play.TransitionComplete") -> {
                metrics.record(Timing.SWITCH, now - switchAskedNanos);
                metrics.switchesCompleted.increment();
                playing = switchingTo;
                switchingTo = null;
            }
            default -> { }
        }
    }

    /** Any audio or video message: a gap since the previous one longer than the threshold is a stall. */
    private void media(long now) {
        if (lastMediaNanos != 0 && now - lastMediaNanos > stallNanos) {
            stall(now - lastMediaNanos);
        }
        lastMediaNanos = now;
    }

    private void stall(long gapNanos) {
        stalls++;
        metrics.stalls.increment();
        metrics.stallNanos.add(gapNanos);
    }

    private void video(byte[] buf, int offset, int length, long timestamp, long now) {
        VideoTag tag;
        try {
            tag = FlvTags.parseVideo(buf, offset, length);
        } catch (ProtocolException e) {
            return; // Not ours to judge: an origin relays what its publisher sent.
        }
        if (!tag.isCodedFrame()) {
            return;
        }
        metrics.framesReceived.increment();
        if (!keyframeSeen && tag.isKeyframe()) {
            keyframeSeen = true;
            metrics.record(Timing.TTFF, now - startNanos);
        }
        if (lastVideoNanos != 0 && ticker.isEmpty()) {
            jitter(now - lastVideoNanos, (timestamp - lastVideoTs) & UINT32);
        }
        lastVideoNanos = now;
        lastVideoTs = timestamp;
        if (settings.mode() == BenchMode.LATENCY) {
            long sent = LatencyStamp.read(buf, offset, length);
            if (sent != LatencyStamp.NONE) {
                metrics.record(Timing.LATENCY, now - sent);
            }
        }
    }

    /**
     * Jitter: how far the arrival spacing of two frames strays from their timestamp spacing (RFC 3550 6.4.1's
     * D). Counted from the first frame that arrives at least half as far after its predecessor as the
     * timestamps say: before that the origin is flushing its GOP cache, all at once by design.
     */
    private void jitter(long arrivalDeltaNanos, long timestampDelta) {
        long tsDeltaNanos = (timestampDelta > Integer.MAX_VALUE ? timestampDelta - (1L << 32) : timestampDelta)
                * 1_000_000;
        if (!paced && tsDeltaNanos > 0 && arrivalDeltaNanos * 2 >= tsDeltaNanos) {
            paced = true;
        }
        if (paced) {
            metrics.record(Timing.JITTER, Math.abs(arrivalDeltaNanos - tsDeltaNanos));
        }
    }

    /** An aggregate message (RTMP 7.1.6) holds FLV tags back to back; only the video tags need a look. */
    private void aggregate(RawMessage m, long now) {
        byte[] p = m.payload();
        long firstTs = -1;
        int at = 0;
        while (at + SUB_TAG_HEADER_BYTES <= p.length) {
            int type = p[at] & 0x1F;
            int size = (p[at + 1] & 0xFF) << 16 | (p[at + 2] & 0xFF) << 8 | p[at + 3] & 0xFF;
            long ts = (p[at + 4] & 0xFFL) << 16 | (p[at + 5] & 0xFFL) << 8 | p[at + 6] & 0xFFL
                    | (p[at + 7] & 0xFFL) << 24;
            int body = at + SUB_TAG_HEADER_BYTES;
            if (size > p.length - body) {
                return;
            }
            firstTs = firstTs < 0 ? ts : firstTs;
            if (type == MessageTypes.VIDEO) {
                video(p, body, size, (m.timestamp() + ts - firstTs) & UINT32, now);
            }
            at = body + size + PREVIOUS_TAG_SIZE_BYTES;
        }
    }

    /**
     * A gap still open when the run ends counts as a stall. The bitrate spread takes the players that played
     * to the end of the run: a failed player's rate says less about the origin than its failure does.
     */
    @Override
    protected void ended(long now, boolean streamed, boolean failed) {
        settle();
        if (!streamed) {
            return;
        }
        if (!failed && lastMediaNanos != 0 && now - lastMediaNanos > stallNanos) {
            stall(now - lastMediaNanos);
        }
        if (stalls > 0) {
            metrics.stalledClients.increment();
        }
        if (!keyframeSeen) {
            metrics.clientsWithoutKeyframe.increment();
        }
        long playedNanos = now - playingNanos;
        if (!failed && playedNanos >= BenchSettings.MIN_BITRATE_WINDOW.toNanos()) {
            metrics.bitrate((bytesCounted - bytesAtPlay) * 8.0 / (playedNanos / 1e9) / 1000);
        }
    }

    private void settle() {
        if (!settledYet) {
            settledYet = true;
            settled.countDown();
        }
    }
}
