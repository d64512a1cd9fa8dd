package io.loomcast.gateway.hub;

import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.EncodedMessage;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One media or data message on a stream's output timeline, shared read-only by every subscriber.
 *
 * <p>A frame also caches its wire form per {@link WireKey} (outgoing chunk size and message stream id):
 * a message's chunked bytes depend only on those and on the frame itself, so the first subscriber that
 * needs a form encodes it and every later one with the same key reuses the bytes (DESIGN.md, "Shared
 * bytes for fan-out"). Writers that want the same form at the same moment (the pushes of a stream all wake for
 * its frame) do not each encode it: the first claims the form, the others wait the microseconds it takes.
 *
 * <p>Each wire form is chunked straight into direct memory: a socket write from a heap array makes the JDK copy
 * it into a temporary native buffer first, once per connection; from a direct buffer the kernel copies straight
 * out of the one shared copy. There is no heap copy on the way either: a heap array per form was over half of
 * the bytes a relay allocated (benchmarks/RESULTS.md, "Encoding straight into direct memory").
 */
public final class Frame implements Delivery {

    /** What a frame carries. */
    public enum Kind { AUDIO, VIDEO, DATA }

    /**
     * The encoding of a frame's wire bytes: outgoing chunk size, the message stream id it is sent on, whether it
     * goes to a player or is published to another server (metadata is wrapped in {@code @setDataFrame} then),
     * and an offset added to its timestamp (a push that resent its GOP after a reconnect).
     */
    public record WireKey(int chunkSizeBytes, int messageStreamId, Use use, long timestampOffsetMs) {
        /** A player's form: no offset. */
        public WireKey(int chunkSizeBytes, int messageStreamId) {
            this(chunkSizeBytes, messageStreamId, Use.PLAY, 0);
        }
    }

    /** Who a wire form is for. */
    public enum Use { PLAY, PUBLISH }

    private final Kind kind;
    private final long timestampMs;
    private final byte[] payload;
    private final boolean keyframe;
    private final boolean config;
    /** Where this frame's direct wire bytes are cut from: its stream's; null gives each form a buffer of its own. */
    private final DirectSlab slab;

    /** Small, rarely more than one or two entries: a list beats a map here. */
    private volatile Encoded encoded;
    /** The last copy {@link #at} made: subscribers asking for the same timestamp share it, and its bytes. */
    private volatile Frame restamped;

    /** One wire form: claimed by the writer that encodes it, published once {@code message} is set. */
    private static final class Encoded {
        final WireKey key;
        final Encoded next;
        volatile EncodedMessage message;

        Encoded(WireKey key, Encoded next) {
            this.key = key;
            this.next = next;
        }
    }

    private static final VarHandle ENCODED;
    /** How long a writer waits for another one's encoding of a form before it makes a copy of its own. */
    private static final long CLAIM_WAIT_NANOS = 100_000;

    static {
        try {
            ENCODED = MethodHandles.lookup().findVarHandle(Frame.class, "encoded", Encoded.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * @param timestampMs timeline timestamp in ms; never negative, may exceed 32 bits (sent modulo 2^32)
     * @param keyframe    video frame a decoder can start from
     * @param config      sequence header / decoder configuration (AVC/HEVC/AV1 config, AAC AudioSpecificConfig)
     *                    or stream metadata: never dropped for a slow subscriber
     */
    public Frame(Kind kind, long timestampMs, byte[] payload, boolean keyframe, boolean config) {
        this(kind, timestampMs, payload, keyframe, config, null);
    }

    /** A stream's frame: its wire forms' direct bytes are cut from the stream's {@code slab}. */
    Frame(Kind kind, long timestampMs, byte[] payload, boolean keyframe, boolean config, DirectSlab slab) {
        this.slab = slab;
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
            r = new Frame(kind, newTimestampMs, payload, keyframe, config, slab);
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

    /**
     * The message a frame is sent as for one wire key (chunk stream, type, stream id, timestamp, payload), which
     * the frame then chunks at the key's chunk size; a static method reference, so asking allocates nothing.
     */
    @FunctionalInterface
    public interface Encoder {
        RawMessage message(Frame frame, WireKey key);
    }

    /**
     * The wire form for {@code key}, made from {@code encoder}'s message only the first time that key is asked
     * for. Its bytes are in direct memory.
     */
    public EncodedMessage wire(WireKey key, Encoder encoder) {
        return encoded(key, encoder).message;
    }

    /**
     * The wire form's bytes for {@code key} in direct memory, ready for a gathering write: a buffer of its own
     * (position 0, limit the length) over the one shared copy, so each writer may consume it.
     */
    public ByteBuffer wireBytes(WireKey key, Encoder encoder) {
        return encoded(key, encoder).message.bytes().duplicate();
    }

    /** How many wire forms of this frame for {@code use} were made: how many ways its bytes were not shared. */
    public int wireForms(Use use) {
        int n = 0;
        for (Encoded e = encoded; e != null; e = e.next) {
            if (e.key.use() == use) {
                n++;
            }
        }
        return n;
    }

    private Encoded encoded(WireKey key, Encoder encoder) {
        while (true) {
            Encoded head = encoded;
            for (Encoded e = head; e != null; e = e.next) {
                if (e.key.equals(key)) {
                    return e.message != null ? e : awaitClaimed(e, key, encoder);
                }
            }
            Encoded mine = new Encoded(key, head);
            if (ENCODED.compareAndSet(this, head, mine)) {
                fill(mine, encoder);
                return mine;
            }
            // Another form was added meanwhile, perhaps this one: look again.
        }
    }

    private void fill(Encoded e, Encoder encoder) {
        // A sequence header or metadata stays as long as the stream: it must not keep a block of the slab alive.
        e.message = ChunkWriter.encodeStandalone(encoder.message(this, e.key), e.key.chunkSizeBytes(),
                slab == null || config ? ByteBuffer::allocateDirect : slab.slices);
    }

    /** Another writer is encoding {@code e}: wait for it briefly, else (it was descheduled) encode a private copy. */
    private Encoded awaitClaimed(Encoded e, WireKey key, Encoder encoder) {
        long deadline = System.nanoTime() + CLAIM_WAIT_NANOS;
        while (e.message == null) {
            if (System.nanoTime() - deadline > 0) {
                Encoded own = new Encoded(key, null);
                fill(own, encoder);
                return own;
            }
            Thread.onSpinWait();
        }
        return e;
    }

    @Override
    public String toString() {
        return "Frame[%s ts=%d %dB%s%s]".formatted(kind, timestampMs, payload.length,
                keyframe ? " key" : "", config ? " config" : "");
    }
}
