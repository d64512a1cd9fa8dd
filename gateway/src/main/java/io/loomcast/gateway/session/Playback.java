package io.loomcast.gateway.session;

import io.loomcast.gateway.hub.Delivery;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.StreamNotice;
import io.loomcast.gateway.hub.Subscription;
import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.EncodedMessage;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.ChunkStreams;
import io.loomcast.gateway.protocol.message.MessageTypes;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream played on one NetStream of a connection: its subscription, the message stream id its media
 * goes on, and the player's switches (pause, receiveAudio, receiveVideo). The connection's writer thread
 * drains it; the frames' chunked bytes are shared with every other player at the same chunk size and
 * message stream id.
 *
 * <p>Two threads may drain it, never at once: the connection's writer, and the {@link StreamFlusher} of its
 * stream while the player keeps up ({@link #direct()}). Both hold the connection's write lock while they do.
 */
public final class Playback {

    /** Turns a source change into the messages a player expects (Stream Begin, UnpublishNotify, ...). */
    public interface Notices {
        List<RawMessage> onNotice(StreamNotice notice, int messageStreamId);

        /** The subscription was closed under us (too slow for too long): the reason goes in the log. */
        void closed(Playback playback, String reason);
    }

    private final Subscription subscription;
    private final int messageStreamId;
    private final Notices notices;
    private volatile boolean paused;
    private volatile boolean receiveAudio = true;
    private volatile boolean receiveVideo = true;
    private Frame.WireKey key;
    private boolean tookSomething;
    private boolean closedReported;
    /** Reused by whichever thread drains, under the connection's write lock. */
    private final List<Delivery> taken = new ArrayList<>();
    /** Whether the stream's flusher writes for this player, rather than the connection's writer thread. */
    private volatile boolean direct;
    /** Rounds in a row the writer thread found this player caught up: after a few, it goes direct again. */
    private int caughtUpRounds;
    private volatile StreamFlusher flusher;
    private volatile Outbound outbound;

    public Playback(Subscription subscription, int messageStreamId, Notices notices) {
        this.subscription = subscription;
        this.messageStreamId = messageStreamId;
        this.notices = notices;
    }

    public Subscription subscription() {
        return subscription;
    }

    public int messageStreamId() {
        return messageStreamId;
    }

    /** NetStream.pause: while paused frames are skipped; on resume the player restarts at a keyframe. */
    public void pause(boolean pause) {
        if (paused && !pause) {
            subscription.queue().awaitKeyframe();
        }
        paused = pause;
    }

    public boolean paused() {
        return paused;
    }

    public void receiveAudio(boolean on) {
        receiveAudio = on;
    }

    /** NetStream.receiveVideo: turning video back on waits for a keyframe. */
    public void receiveVideo(boolean on) {
        if (on && !receiveVideo) {
            subscription.queue().awaitKeyframe();
        }
        receiveVideo = on;
    }

    /**
     * Adds up to {@code maxItems} ready deliveries to {@code out}, without blocking, and returns how many it
     * took. Called under the connection's write lock.
     */
    int collect(WriteBatch out, ChunkWriter writer, int maxItems) {
        taken.clear();
        int n = subscription.queue().poll(taken, maxItems);
        if (n < 0) {
            if (!closedReported) {
                closedReported = true;
                notices.closed(this, subscription.queue().closedReason());
            }
            return 0;
        }
        if (n == 0) {
            return 0;
        }
        tookSomething = true;
        int chunkSize = writer.chunkSizeBytes();
        if (key == null || key.chunkSizeBytes() != chunkSize) {
            key = new Frame.WireKey(chunkSize, messageStreamId);
        }
        for (int i = 0; i < n; i++) {
            switch (taken.get(i)) {
                case Frame f -> {
                    if (skip(f)) {
                        continue;
                    }
                    out.add(f.wireBytes(key, Playback::encode));
                    writer.markWritten(f.wire(key, Playback::encode));
                }
                case StreamNotice notice -> {
                    for (RawMessage m : notices.onNotice(notice, messageStreamId)) {
                        out.add(java.nio.ByteBuffer.wrap(writer.encode(m)));
                    }
                }
            }
        }
        taken.clear();
        return n;
    }

    boolean direct() {
        return direct;
    }

    /** Media was queued for this player: its writer thread sends it, unless the stream's flusher does. */
    public void available() {
        Outbound o = outbound;
        if (o != null && !direct) {
            o.mediaReady();
        }
    }

    void flusher(StreamFlusher f, Outbound o) {
        flusher = f;
        outbound = o;
    }

    StreamFlusher flusher() {
        return flusher;
    }

    Outbound outbound() {
        return outbound;
    }

    void direct(boolean on) {
        direct = on;
        caughtUpRounds = 0;
    }

    /**
     * The writer thread's verdict after one of its rounds: {@code caughtUp} when the round emptied this queue
     * in one quick write. Returns true once the player has been caught up for enough rounds in a row to be
     * handed (back) to its stream's flusher.
     */
    boolean caughtUp(boolean caughtUp) {
        caughtUpRounds = caughtUp ? caughtUpRounds + 1 : 0;
        return caughtUpRounds >= CAUGHT_UP_ROUNDS;
    }

    /** Rounds a player must keep up on its own writer before the flusher writes for it. */
    private static final int CAUGHT_UP_ROUNDS = 3;

    /** The writer sent what {@link #collect} gave it: the player keeps up. */
    void written() {
        if (tookSomething) {
            tookSomething = false;
            subscription.queue().progressed();
        }
    }

    private boolean skip(Frame f) {
        if (paused && !f.config()) {
            return true;
        }
        return switch (f.kind()) {
            case AUDIO -> !receiveAudio && !f.config();
            case VIDEO -> !receiveVideo && !f.config();
            case DATA -> false;
        };
    }

    /** A frame's wire form: fixed chunk stream per kind, fmt-0 header, so every player can share the bytes. */
    static EncodedMessage encode(Frame f, Frame.WireKey key) {
        int csid;
        int type;
        switch (f.kind()) {
            case AUDIO -> {
                csid = ChunkStreams.AUDIO;
                type = MessageTypes.AUDIO;
            }
            case VIDEO -> {
                csid = ChunkStreams.VIDEO;
                type = MessageTypes.VIDEO;
            }
            case DATA -> {
                csid = ChunkStreams.DATA;
                type = MessageTypes.DATA_AMF0;
            }
            default -> throw new AssertionError(f.kind());
        }
        RawMessage raw = new RawMessage(csid, type, key.messageStreamId(), f.timestampMs() & 0xFFFF_FFFFL, f.payload());
        return ChunkWriter.encodeStandalone(raw, key.chunkSizeBytes());
    }
}
