package io.loomcast.gateway.hub;

import io.loomcast.gateway.protocol.chunk.EncodedMessage;
import java.util.Objects;

/**
 * One media or data message on a stream's output timeline, shared read-only by every subscriber.
 *
 * <p>A frame also caches its wire form per {@link WireKey} (outgoing chunk size and message stream id):
 * a message's chunked bytes depend only on those and on the frame itself, so the first subscriber that
 * needs a form encodes it and every later one with the same key reuses the bytes (DESIGN.md, "Shared
 * bytes for fan-out"). Two subscribers may race to encode the same form; both results are equal, one wins.
 */
public final class Frame implements Delivery {

    /** What a frame carries. */
    public enum Kind { AUDIO, VIDEO, DATA }

    /** The encoding of a frame's wire bytes: outgoing chunk size and the message stream id it is sent on. */
    public record WireKey(int chunkSizeBytes, int messageStreamId) {}

    private final Kind kind;
    private final long timestampMs;
    private final byte[] payload;
    private final boolean keyframe;
    private final boolean config;

    /** Small, rarely more than one or two entries: a list beats a map here. */
    private volatile Encoded encoded;
    /** The last copy {@link #at} made: subscribers asking for the same timestamp share it, and its bytes. */
    private volatile Frame restamped;

    private record Encoded(WireKey key, EncodedMessage message, Encoded next) {}

    /**
     * @param timestampMs timeline timestamp in ms; never negative, may exceed 32 bits (sent modulo 2^32)
     * @param keyframe    video frame a decoder can start from
     * @param config      sequence header / decoder configuration (AVC/HEVC/AV1 config, AAC AudioSpecificConfig)
     *                    or stream metadata: never dropped for a slow subscriber
     */
    public Frame(Kind kind, long timestampMs, byte[] payload, boolean keyframe, boolean config) {
        this.kind = Objects.requireNonNull(kind, "kind");
        if (timestampMs < 0) {
            throw new IllegalArgumentException("negative timestamp " + timestampMs);
        }
        this.timestampMs = timestampMs;
        this.payload = Objects.requireNonNull(payload, "payload");
        this.keyframe = keyframe;
        this.config = config;
    }

    public static Frame audio(long timestampMs, byte[] payload, boolean config) {
        return new Frame(Kind.AUDIO, timestampMs, payload, false, config);
    }

    public static Frame video(long timestampMs, byte[] payload, boolean keyframe, boolean config) {
        return new Frame(Kind.VIDEO, timestampMs, payload, keyframe, config);
    }

    /** A data message; {@code metadata} marks onMetaData, which the stream caches for late joiners. */
    public static Frame data(long timestampMs, byte[] payload, boolean metadata) {
        return new Frame(Kind.DATA, timestampMs, payload, false, metadata);
    }

    /**
     * The same content at another timeline position: a cached sequence header stamped with the time of the
     * keyframe it now precedes, or a player's frame moved onto its own clock after a play2 switch or a seek.
     * The copy is remembered, so every subscriber that asks for the same timestamp gets the same object and
     * shares its wire bytes; two threads may race to make it, and both copies are equal.
     */
    public Frame at(long newTimestampMs) {
        if (newTimestampMs == timestampMs) {
            return this;
        }
        Frame r = restamped;
        if (r == null || r.timestampMs != newTimestampMs) {
            r = new Frame(kind, newTimestampMs, payload, keyframe, config);
            restamped = r;
        }
        return r;
    }

    public Kind kind() {
        return kind;
    }

    public long timestampMs() {
        return timestampMs;
    }

    /** The FLV tag body or AMF data; shared, so never modified. */
    public byte[] payload() {
        return payload;
    }

    public int sizeBytes() {
        return payload.length;
    }

    public boolean keyframe() {
        return keyframe;
    }

    public boolean config() {
        return config;
    }

    /** Video that a subscriber may skip while it catches up: not a keyframe and not a sequence header. */
    public boolean droppableVideo() {
        return kind == Kind.VIDEO && !keyframe && !config;
    }

    /** Chunks a frame for one wire key; a static method reference, so asking allocates nothing. */
    @FunctionalInterface
    public interface Encoder {
        EncodedMessage encode(Frame frame, WireKey key);
    }

    /** The wire form for {@code key}, encoding it with {@code encoder} only the first time that key is asked for. */
    public EncodedMessage wire(WireKey key, Encoder encoder) {
        for (Encoded e = encoded; e != null; e = e.next) {
            if (e.key.equals(key)) {
                return e.message;
            }
        }
        EncodedMessage m = encoder.encode(this, key);
        encoded = new Encoded(key, m, encoded);
        return m;
    }

    @Override
    public String toString() {
        return "Frame[%s ts=%d %dB%s%s]".formatted(kind, timestampMs, payload.length,
                keyframe ? " key" : "", config ? " config" : "");
    }
}
