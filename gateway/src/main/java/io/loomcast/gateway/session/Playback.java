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
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One stream played on one NetStream of a connection: its subscription, the message stream id its media
 * goes on, and the player's switches (pause, receiveAudio, receiveVideo). The connection's writer thread
 * drains it; the frames' chunked bytes are shared with every other player at the same chunk size and
 * message stream id.
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

    /** Adds up to {@code maxItems} ready deliveries to {@code out}, without blocking. Writer thread only. */
    void collect(List<ByteBuffer> out, ChunkWriter writer, int maxItems) {
        List<Delivery> batch;
        try {
            batch = subscription.queue().take(maxItems, 0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (batch == null) {
            if (!closedReported) {
                closedReported = true;
                notices.closed(this, subscription.queue().closedReason());
            }
            return;
        }
        tookSomething |= !batch.isEmpty();
        int chunkSize = writer.chunkSizeBytes();
        if (key == null || key.chunkSizeBytes() != chunkSize) {
            key = new Frame.WireKey(chunkSize, messageStreamId);
        }
        for (Delivery d : batch) {
            switch (d) {
                case Frame f -> {
                    if (skip(f)) {
                        continue;
                    }
                    EncodedMessage m = f.wire(key, Playback::encode);
                    out.add(ByteBuffer.wrap(m.bytes()));
                    writer.markWritten(m);
                }
                case StreamNotice n -> {
                    for (RawMessage m : notices.onNotice(n, messageStreamId)) {
                        out.add(ByteBuffer.wrap(writer.encode(m)));
                    }
                }
            }
        }
    }

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
