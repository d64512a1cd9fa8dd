package io.loomcast.gateway.protocol.chunk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Splits messages into RTMP chunks (RTMP 5.3), choosing the smallest header each chunk stream allows:
 * fmt 0 for a chunk stream's first message, a new message stream id or a timestamp that goes back; fmt 1
 * when the length or type changes; fmt 2 when only the timestamp delta changes; fmt 3 when all repeat.
 *
 * <p>After a fmt-0 header the next message on that chunk stream gets fmt 2 even if fmt 3 would do: readers
 * disagree on what delta a fmt-3 chunk right after a fmt-0 one implies (FFmpeg and SRS reuse the absolute
 * timestamp, nginx-rtmp uses 0), and an explicit delta is correct for all of them.
 *
 * <p>Extended timestamps (RTMP 5.3.1.3): a timestamp or delta of 0xFFFFFF or more goes into the 4-byte
 * field, and every fmt-3 chunk on that chunk stream repeats it, as the spec, Adobe FMS and FFmpeg expect.
 * {@link ChunkReader} also accepts peers that leave it out.
 *
 * <p>The outgoing chunk size changes only through {@link #chunkSize(int)}, which the caller must call right
 * after it has written its own Set Chunk Size message. Not thread-safe: one writer per connection, used by
 * that connection's writing thread.
 */
public final class ChunkWriter {
    /** RTMP 5.4.1: both sides start at 128-byte chunks. */
    public static final int DEFAULT_CHUNK_SIZE_BYTES = ChunkReader.DEFAULT_CHUNK_SIZE_BYTES;
    /** RTMP 5.3.1.2.1: the message length field is 24 bits. */
    public static final int MAX_MESSAGE_BYTES = 0xFF_FFFF;
    private static final int[] MESSAGE_HEADER_BYTES = {11, 7, 3, 0};
    /** The scratch array for {@link #write(RawMessage, OutputStream)} is not kept once it grows past this. */
    private static final int RETAINED_SCRATCH_BYTES = 1024 * 1024;

    private int chunkSizeBytes;
    private final ChunkStreamTable<OutboundChunkStream> streams = new ChunkStreamTable<>();
    private byte[] scratch = new byte[0];

    public ChunkWriter() {
        this(DEFAULT_CHUNK_SIZE_BYTES);
    }

    public ChunkWriter(int chunkSizeBytes) {
        chunkSize(chunkSizeBytes);
    }

    /** Sets the size later chunks are split at, 1..0x7FFFFFFF (RTMP 5.4.1). */
    public void chunkSize(int chunkSizeBytes) {
        if (chunkSizeBytes < 1) {
            throw new IllegalArgumentException("chunk size must be 1..2147483647, was " + chunkSizeBytes);
        }
        this.chunkSizeBytes = chunkSizeBytes;
    }

    public int chunkSizeBytes() {
        return chunkSizeBytes;
    }

    /** Bytes {@link #encode(RawMessage, byte[], int)} would write for this message now. */
    public int encodedLength(RawMessage message) {
        checkWritable(message);
        Header header = header(message);
        return encodedLength(header.fmt, message.chunkStreamId(), message.length(), header.timestampField,
                chunkSizeBytes);
    }

    /** Chunks the message into {@code dst} at {@code offset}; returns the bytes written. */
    public int encode(RawMessage message, byte[] dst, int offset) {
        checkWritable(message);
        Header header = header(message);
        int length = encodedLength(header.fmt, message.chunkStreamId(), message.length(), header.timestampField,
                chunkSizeBytes);
        Objects.checkFromIndexSize(offset, length, dst.length);
        int written = encode(header.fmt, message, header.timestampField, chunkSizeBytes, ByteBuffer.wrap(dst), offset);
        remember(message, header);
        return written;
    }

    /** Chunks the message into a new array. */
    public byte[] encode(RawMessage message) {
        byte[] bytes = new byte[encodedLength(message)];
        encode(message, bytes, 0);
        return bytes;
    }

    /** Chunks the message and writes it with one call to {@code out}. */
    public void write(RawMessage message, OutputStream out) throws IOException {
        int length = encodedLength(message);
        byte[] bytes = scratch.length >= length ? scratch : new byte[length];
        encode(message, bytes, 0);
        out.write(bytes, 0, length);
        if (bytes.length <= RETAINED_SCRATCH_BYTES) {
            scratch = bytes;
        }
    }

    /** Writes a shared, pre-chunked message and updates this writer's state as if it had chunked it. */
    public void write(EncodedMessage message, OutputStream out) throws IOException {
        checkSendable(message);
        ByteBuffer bytes = message.bytes().duplicate();
        int length = bytes.remaining();
        byte[] copy = scratch.length >= length ? scratch : new byte[length];
        bytes.get(copy, 0, length);
        out.write(copy, 0, length);
        if (copy.length <= RETAINED_SCRATCH_BYTES) {
            scratch = copy;
        }
        markWritten(message);
    }

    /**
     * Records that the caller sent {@code message.bytes()} itself (for example in a gathering write). After
     * it, the state of that chunk stream is the message's fmt-0 header, exactly as if this writer had sent it.
     */
    public void markWritten(EncodedMessage message) {
        checkSendable(message);
        stream(message.chunkStreamId()).remember(message.payloadLength(), message.typeId(),
                message.messageStreamId(), message.timestamp(), OutboundChunkStream.NO_DELTA);
    }

    /**
     * Chunks a message once, for any number of connections whose outgoing chunk size is
     * {@code chunkSizeBytes}: a fmt-0 header with the absolute timestamp, then fmt-3 continuations, in a heap
     * buffer of their own.
     */
    public static EncodedMessage encodeStandalone(RawMessage message, int chunkSizeBytes) {
        return encodeStandalone(message, chunkSizeBytes, ByteBuffer::allocate);
    }

    /**
     * {@link #encodeStandalone(RawMessage, int)} into memory of the caller's choosing: {@code memory} is asked
     * once for a buffer of the encoded length (position 0, at least that many bytes remaining), and the bytes are
     * chunked straight into it. The fan-out puts them in direct memory this way, with no heap copy between.
     */
    public static EncodedMessage encodeStandalone(RawMessage message, int chunkSizeBytes,
                                                  IntFunction<ByteBuffer> memory) {
        checkWritable(message);
        if (chunkSizeBytes < 1) {
            throw new IllegalArgumentException("chunk size must be 1..2147483647, was " + chunkSizeBytes);
        }
        int length = encodedLength(0, message.chunkStreamId(), message.length(), message.timestamp(),
                chunkSizeBytes);
        ByteBuffer dst = memory.apply(length);
        if (dst.position() != 0 || dst.remaining() < length) {
            throw new IllegalArgumentException("memory for %d bytes came as %s".formatted(length, dst));
        }
        encode(0, message, message.timestamp(), chunkSizeBytes, dst, 0);
        return new EncodedMessage(message.chunkStreamId(), message.typeId(), message.messageStreamId(),
                message.timestamp(), message.length(), chunkSizeBytes, dst.slice(0, length).asReadOnlyBuffer());
    }

    /** The header form for a message and the value of its timestamp field (absolute for fmt 0, else delta). */
    private record Header(int fmt, long timestampField) {}

    private Header header(RawMessage message) {
        OutboundChunkStream last = streams.get(message.chunkStreamId());
        // RTMP 5.3.1.2.1: fmt 0 starts a chunk stream and follows a timestamp that went back.
        if (last == null || last.messageStreamId != message.messageStreamId() || message.timestamp() < last.timestamp) {
            return new Header(0, message.timestamp());
        }
        long delta = message.timestamp() - last.timestamp;
        if (last.messageLength != message.length() || last.typeId != message.typeId()) {
            return new Header(1, delta);
        }
        return new Header(delta == last.timestampDelta ? 3 : 2, delta);
    }

    private void remember(RawMessage message, Header header) {
        long delta = header.fmt == 0 ? OutboundChunkStream.NO_DELTA : header.timestampField;
        stream(message.chunkStreamId()).remember(message.length(), message.typeId(), message.messageStreamId(),
                message.timestamp(), delta);
    }

    private OutboundChunkStream stream(int chunkStreamId) {
        OutboundChunkStream stream = streams.get(chunkStreamId);
        if (stream == null) {
            stream = new OutboundChunkStream();
            streams.add(chunkStreamId, stream);
        }
        return stream;
    }

    private void checkSendable(EncodedMessage message) {
        if (message.chunkSizeBytes() != chunkSizeBytes) {
            throw new IllegalStateException("message chunked at %d bytes, connection sends %d-byte chunks"
                    .formatted(message.chunkSizeBytes(), chunkSizeBytes));
        }
        if (!ChunkStreamIds.valid(message.chunkStreamId())) {
            throw new IllegalArgumentException("chunk stream id %d outside %d..%d"
                    .formatted(message.chunkStreamId(), ChunkStreamIds.MIN, ChunkStreamIds.MAX));
        }
    }

    private static void checkWritable(RawMessage message) {
        if (!ChunkStreamIds.valid(message.chunkStreamId())) {
            throw new IllegalArgumentException("chunk stream id %d outside %d..%d"
                    .formatted(message.chunkStreamId(), ChunkStreamIds.MIN, ChunkStreamIds.MAX));
        }
        if (message.typeId() < 0 || message.typeId() > 0xFF) {
            throw new IllegalArgumentException("message type id %d outside 0..255".formatted(message.typeId()));
        }
        if (message.length() > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("message length %d exceeds the 24-bit field's %d"
                    .formatted(message.length(), MAX_MESSAGE_BYTES));
        }
    }

    private static boolean extended(long timestampField) {
        return timestampField >= ChunkReader.EXTENDED_TIMESTAMP_MARKER;
    }

    private static int encodedLength(int fmt, int chunkStreamId, int payloadBytes, long timestampField,
                                     int chunkSizeBytes) {
        int basic = ChunkStreamIds.basicHeaderBytes(chunkStreamId);
        int extendedBytes = extended(timestampField) ? 4 : 0;
        long chunks = payloadBytes == 0 ? 1 : ((long) payloadBytes + chunkSizeBytes - 1) / chunkSizeBytes;
        long total = basic + MESSAGE_HEADER_BYTES[fmt] + extendedBytes
                + (chunks - 1) * (basic + extendedBytes) + payloadBytes;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("%d-byte message at chunk size %d needs %d bytes, too many for an array"
                    .formatted(payloadBytes, chunkSizeBytes, total));
        }
        return (int) total;
    }

    /** Writes at absolute indices from {@code offset}; {@code dst}'s position and limit are left alone. */
    private static int encode(int fmt, RawMessage message, long timestampField, int chunkSizeBytes, ByteBuffer dst,
                              int offset) {
        int csid = message.chunkStreamId();
        boolean extended = extended(timestampField);
        int at = ChunkStreamIds.writeBasicHeader(dst, offset, fmt, csid);
        if (fmt <= 2) {
            // RTMP 5.3.1.3: 0xFFFFFF says the real value follows as 4 bytes after the header.
            at = putUint24(dst, at, (int) Math.min(timestampField, ChunkReader.EXTENDED_TIMESTAMP_MARKER));
        }
        if (fmt <= 1) {
            at = putUint24(dst, at, message.length());
            dst.put(at++, (byte) message.typeId());
        }
        if (fmt == 0) {
            int msid = message.messageStreamId();
            dst.put(at++, (byte) msid);
            dst.put(at++, (byte) (msid >>> 8));
            dst.put(at++, (byte) (msid >>> 16));
            dst.put(at++, (byte) (msid >>> 24));
        }
        if (extended) {
            at = putUint32(dst, at, timestampField);
        }
        byte[] payload = message.payload();
        int first = Math.min(chunkSizeBytes, payload.length);
        dst.put(at, payload, 0, first);
        at += first;
        for (int done = first; done < payload.length; ) {
            at = ChunkStreamIds.writeBasicHeader(dst, at, 3, csid);
            if (extended) {
                at = putUint32(dst, at, timestampField);
            }
            int n = Math.min(chunkSizeBytes, payload.length - done);
            dst.put(at, payload, done, n);
            at += n;
            done += n;
        }
        return at - offset;
    }

    private static int putUint24(ByteBuffer dst, int at, int value) {
        dst.put(at, (byte) (value >>> 16));
        dst.put(at + 1, (byte) (value >>> 8));
        dst.put(at + 2, (byte) value);
        return at + 3;
    }

    private static int putUint32(ByteBuffer dst, int at, long value) {
        dst.put(at, (byte) (value >>> 24));
        dst.put(at + 1, (byte) (value >>> 16));
        dst.put(at + 2, (byte) (value >>> 8));
        dst.put(at + 3, (byte) value);
        return at + 4;
    }
}
