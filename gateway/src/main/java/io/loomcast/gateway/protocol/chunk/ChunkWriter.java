package io.loomcast.gateway.protocol.chunk;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

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
        int written = encode(header.fmt, message, header.timestampField, chunkSizeBytes, dst, offset);
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
        out.write(message.bytes());
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
     * {@code chunkSizeBytes}: a fmt-0 header with the absolute timestamp, then fmt-3 continuations.
     */
    public static EncodedMessage encodeStandalone(RawMessage message, int chunkSizeBytes) {
        checkWritable(message);
        if (chunkSizeBytes < 1) {
            throw new IllegalArgumentException("chunk size must be 1..2147483647, was " + chunkSizeBytes);
        }
        byte[] bytes = new byte[encodedLength(0, message.chunkStreamId(), message.length(), message.timestamp(),
                chunkSizeBytes)];
        encode(0, message, message.timestamp(), chunkSizeBytes, bytes, 0);
        return new EncodedMessage(message.chunkStreamId(), message.typeId(), message.messageStreamId(),
                message.timestamp(), message.length(), chunkSizeBytes, bytes);
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

    private static int encode(int fmt, RawMessage message, long timestampField, int chunkSizeBytes, byte[] dst,
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
            dst[at++] = (byte) message.typeId();
        }
        if (fmt == 0) {
            int msid = message.messageStreamId();
            dst[at++] = (byte) msid;
            dst[at++] = (byte) (msid >>> 8);
            dst[at++] = (byte) (msid >>> 16);
            dst[at++] = (byte) (msid >>> 24);
        }
        if (extended) {
            at = putUint32(dst, at, timestampField);
        }
        byte[] payload = message.payload();
        int first = Math.min(chunkSizeBytes, payload.length);
        System.arraycopy(payload, 0, dst, at, first);
        at += first;
        for (int done = first; done < payload.length; ) {
            at = ChunkStreamIds.writeBasicHeader(dst, at, 3, csid);
            if (extended) {
                at = putUint32(dst, at, timestampField);
            }
            int n = Math.min(chunkSizeBytes, payload.length - done);
            System.arraycopy(payload, done, dst, at, n);
            at += n;
            done += n;
        }
        return at - offset;
    }

    private static int putUint24(byte[] dst, int at, int value) {
        dst[at] = (byte) (value >>> 16);
        dst[at + 1] = (byte) (value >>> 8);
        dst[at + 2] = (byte) value;
        return at + 3;
    }

    private static int putUint32(byte[] dst, int at, long value) {
        dst[at] = (byte) (value >>> 24);
        dst[at + 1] = (byte) (value >>> 16);
        dst[at + 2] = (byte) (value >>> 8);
        dst[at + 3] = (byte) value;
        return at + 4;
    }
}
