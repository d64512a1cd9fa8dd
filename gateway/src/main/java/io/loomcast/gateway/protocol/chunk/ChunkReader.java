package io.loomcast.gateway.protocol.chunk;

import io.loomcast.gateway.protocol.PeerClosedException;
import io.loomcast.gateway.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reassembles RTMP messages from a chunk stream (RTMP 5.3) read from a blocking {@link InputStream}.
 *
 * <p>The reader keeps header state per chunk stream id, follows fmt 0/1/2/3 headers, extended timestamps,
 * and messages interleaved across chunk streams. It does not interpret protocol control messages: Set Chunk
 * Size and Abort arrive as ordinary {@link RawMessage}s, and {@link ProtocolControl} applies them through
 * {@link #chunkSize(int)} and {@link #abort(int)}.
 *
 * <p>Errors: bytes that break the spec or a {@link ChunkLimits} value raise {@link ProtocolException}, after
 * which every further read fails too. End of input raises {@link PeerClosedException};
 * {@link #atMessageBoundary()} then says whether the peer stopped cleanly between messages. Other
 * {@link IOException}s of the underlying stream (a reset, a timeout) pass through unchanged.
 *
 * <p>Not thread-safe: one reader per connection, used by that connection's reading thread.
 */
public final class ChunkReader {
    /** RTMP 5.4.1: chunks carry at most 128 payload bytes until a Set Chunk Size says otherwise. */
    public static final int DEFAULT_CHUNK_SIZE_BYTES = 128;
    /** RTMP 5.3.1.3: a 24-bit timestamp field of 0xFFFFFF means the real value follows as 4 bytes. */
    static final int EXTENDED_TIMESTAMP_MARKER = 0xFFFFFF;
    private static final long UINT32_MASK = 0xFFFF_FFFFL;
    /** RTMP 5.3.1.2: message header bytes after the basic header for fmt 0, 1, 2 and 3. */
    private static final int[] MESSAGE_HEADER_BYTES = {11, 7, 3, 0};
    /** A message buffer starts this big (or at the message length, if smaller) and doubles as chunks come. */
    private static final int INITIAL_PAYLOAD_BYTES = 64 * 1024;

    private final ChunkInput in;
    private final ChunkLimits limits;
    private int chunkSizeBytes = DEFAULT_CHUNK_SIZE_BYTES;
    private final ChunkStreamTable<InboundChunkStream> streams = new ChunkStreamTable<>();
    private int partialMessages;
    private final long[] quirkCounts = new long[Quirk.values().length];
    private ProtocolException failure;

    public ChunkReader(InputStream in, ChunkLimits limits) {
        this.in = new ChunkInput(Objects.requireNonNull(in, "in"));
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Reads chunks until one completes a message and returns that message. Its payload is a fresh array
     * owned by the caller.
     *
     * @throws ProtocolException   the bytes break RTMP 5.3 or a {@link ChunkLimits} value
     * @throws PeerClosedException the input ended; {@link #atMessageBoundary()} says whether mid-message
     */
    public RawMessage read() throws IOException {
        if (failure != null) {
            throw new ProtocolException("chunk stream already failed: " + failure.getMessage(), failure);
        }
        try {
            RawMessage message;
            do {
                message = readChunk();
            } while (message == null);
            return message;
        } catch (ProtocolException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Stops reading the stream: from now on the caller feeds the bytes it read itself ({@link #feed}) and takes
     * messages with {@link #tryRead()}. What was buffered already stays, so nothing is lost at the switch.
     */
    public void detach() {
        in.detach();
    }

    /** Hands the reader {@code bytes} (consumed) that the caller read from the connection; after {@link #detach()}. */
    public void feed(ByteBuffer bytes) {
        if (!in.detached()) {
            throw new IllegalStateException("feed() before detach()");
        }
        in.feed(bytes);
    }

    /**
     * The next message if the bytes fed so far complete one, else null (feed more): it never waits, and it
     * parses a chunk only once all of it is here, so a chunk split across feeds at any byte reads the same.
     *
     * @throws ProtocolException the bytes break RTMP 5.3 or a {@link ChunkLimits} value
     */
    public RawMessage tryRead() throws IOException {
        if (failure != null) {
            throw new ProtocolException("chunk stream already failed: " + failure.getMessage(), failure);
        }
        try {
            while (wholeChunkBuffered()) {
                RawMessage message = readChunk();
                if (message != null) {
                    return message;
                }
            }
            return null;
        } catch (ProtocolException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Whether the next chunk is all in the buffer, read without changing any state. When the bytes are invalid
     * (a fmt 1-3 chunk on a new chunk stream, say) it answers true, so {@link #readChunk} reports them.
     */
    private boolean wholeChunkBuffered() {
        int avail = in.available();
        if (avail < 1) {
            return false;
        }
        int first = in.uint8(0);
        int fmt = first >>> 6;
        int idBits = first & 0x3F;
        int basicBytes = idBits == 0 ? 2 : idBits == 1 ? 3 : 1;
        int headerBytes = basicBytes + MESSAGE_HEADER_BYTES[fmt];
        if (avail < headerBytes) {
            return false;
        }
        int csid = switch (basicBytes) {
            case 1 -> idBits;
            case 2 -> 64 + in.uint8(1);
            default -> 64 + in.uint8(1) + (in.uint8(2) << 8);
        };
        InboundChunkStream stream = streams.get(csid);
        if (fmt != 0 && stream == null) {
            return true;
        }
        int extendedBytes;
        if (fmt != 3) {
            extendedBytes = in.uint24(basicBytes) == EXTENDED_TIMESTAMP_MARKER ? 4 : 0;
        } else if (!stream.extended) {
            extendedBytes = 0;
        } else {
            // The repeated extended field may be absent (a Quirk): its 4 bytes tell, as in readChunk.
            if (avail < headerBytes + 4) {
                return false;
            }
            long value = in.uint32(headerBytes);
            long messageTimestamp = stream.messageInProgress() ? stream.timestamp
                    : (stream.timestamp + stream.timestampDelta) & UINT32_MASK;
            extendedBytes = value == stream.extendedValue || value == messageTimestamp ? 4 : 0;
        }
        int length = fmt <= 1 ? in.uint24(basicBytes + 3) : stream.messageLength;
        if (length > limits.maxMessageBytes()) {
            return true;
        }
        int received = fmt == 3 && stream.messageInProgress() ? stream.receivedBytes : 0;
        long needed = (long) headerBytes + extendedBytes + Math.min(chunkSizeBytes, length - received);
        return avail >= needed;
    }

    /** Applies a Set Chunk Size from the peer (RTMP 5.4.1) to the chunks that follow; validated by the caller. */
    public void chunkSize(int chunkSizeBytes) {
        if (chunkSizeBytes < 1) {
            throw new IllegalArgumentException("chunk size must be positive, was " + chunkSizeBytes);
        }
        this.chunkSizeBytes = chunkSizeBytes;
    }

    /**
     * Applies an Abort Message (RTMP 5.4.2): drops the partly received message on that chunk stream, if any.
     * The chunk stream keeps its header state, so later fmt 1/2/3 chunks still have something to inherit.
     */
    public void abort(int chunkStreamId) {
        InboundChunkStream stream = streams.get(chunkStreamId);
        if (stream != null && stream.messageInProgress()) {
            stream.payload = null;
            stream.receivedBytes = 0;
            partialMessages--;
        }
    }

    public int chunkSizeBytes() {
        return chunkSizeBytes;
    }

    /** Bytes consumed from the input so far (headers and payload), for Acknowledgements (RTMP 5.4.3). */
    public long bytesRead() {
        return in.bytesConsumed();
    }

    /** Chunk streams this connection has used so far; bounded by {@link ChunkLimits#maxChunkStreams()}. */
    public int liveChunkStreams() {
        return streams.size();
    }

    /** True when no chunk header is half read and no message is partly received. */
    public boolean atMessageBoundary() {
        return in.drained() && partialMessages == 0;
    }

    /** How often this connection's peer needed the given leniency. */
    public long quirkCount(Quirk quirk) {
        return quirkCounts[quirk.ordinal()];
    }

    /** All quirk counts, zeros included, as an immutable snapshot. */
    public Map<Quirk, Long> quirkCounts() {
        Map<Quirk, Long> counts = new EnumMap<>(Quirk.class);
        for (Quirk quirk : Quirk.values()) {
            counts.put(quirk, quirkCounts[quirk.ordinal()]);
        }
        return Map.copyOf(counts);
    }

    /** Reads one chunk; returns the message it completes, or null if the message needs more chunks. */
    private RawMessage readChunk() throws IOException {
        if (!in.fill(1)) {
            throw closedBetweenChunks();
        }
        int first = in.uint8(0);
        int fmt = first >>> 6;
        int idBits = first & 0x3F;
        // RTMP 5.3.1.1: 6-bit id 0 means one more byte (id - 64), 1 means two more bytes, little-endian.
        int basicBytes = idBits == 0 ? 2 : idBits == 1 ? 3 : 1;
        int headerBytes = basicBytes + MESSAGE_HEADER_BYTES[fmt];
        if (!in.fill(headerBytes)) {
            throw new PeerClosedException("peer closed the connection inside a chunk header");
        }
        int csid = switch (basicBytes) {
            case 1 -> idBits;
            case 2 -> 64 + in.uint8(1);
            default -> 64 + in.uint8(1) + (in.uint8(2) << 8);
        };
        InboundChunkStream stream = stream(csid, fmt);
        boolean newMessage = !stream.messageInProgress();
        if (fmt != 3 && !newMessage) {
            throw new ProtocolException(("fmt %d chunk on csid %d while a message is in progress (%d of %d bytes);"
                    + " RTMP 5.3.1.2.4: the rest of a message comes in fmt 3 chunks")
                    .formatted(fmt, csid, stream.receivedBytes, stream.messageLength));
        }
        long timestampField = fmt == 3 ? 0 : in.uint24(basicBytes);
        if (fmt <= 1) {
            int length = in.uint24(basicBytes + 3);
            if (length > limits.maxMessageBytes()) {
                throw new ProtocolException("message length %d on csid %d exceeds limit %d"
                        .formatted(length, csid, limits.maxMessageBytes()));
            }
            stream.messageLength = length;
            stream.typeId = in.uint8(basicBytes + 6);
        }
        if (fmt == 0) {
            stream.messageStreamId = in.int32LittleEndian(basicBytes + 7);
        }
        if (fmt == 3) {
            long timestamp = newMessage ? (stream.timestamp + stream.timestampDelta) & UINT32_MASK : stream.timestamp;
            int extendedBytes = stream.extended ? repeatedExtendedTimestampBytes(csid, stream, headerBytes, timestamp) : 0;
            in.skip(headerBytes + extendedBytes);
            stream.timestamp = timestamp;
        } else {
            stream.extended = timestampField == EXTENDED_TIMESTAMP_MARKER;
            if (stream.extended) {
                if (!in.fill(headerBytes + 4)) {
                    throw new PeerClosedException("peer closed the connection inside a chunk header on csid " + csid);
                }
                timestampField = in.uint32(headerBytes);
                stream.extendedValue = timestampField;
            }
            in.skip(stream.extended ? headerBytes + 4 : headerBytes);
            // RTMP 5.3.1.2.2: fmt 1/2 carry a delta; unsigned 32-bit time wraps (RTMP 4).
            stream.timestampDelta = timestampField;
            stream.timestamp = fmt == 0 ? timestampField : (stream.timestamp + timestampField) & UINT32_MASK;
        }
        return readPayload(csid, stream);
    }

    /** The state of a chunk stream; a new one only for fmt 0 and only within the limit. */
    private InboundChunkStream stream(int csid, int fmt) throws ProtocolException {
        InboundChunkStream stream = streams.get(csid);
        if (stream != null) {
            return stream;
        }
        if (fmt != 0) {
            throw new ProtocolException(("fmt %d chunk on csid %d, which has no previous header;"
                    + " RTMP 5.3.1.2.1: a chunk stream starts with fmt 0").formatted(fmt, csid));
        }
        if (streams.size() >= limits.maxChunkStreams()) {
            throw new ProtocolException("csid %d would be chunk stream number %d, exceeding limit %d"
                    .formatted(csid, streams.size() + 1, limits.maxChunkStreams()));
        }
        stream = new InboundChunkStream();
        streams.add(csid, stream);
        return stream;
    }

    /**
     * RTMP 5.3.1.3: after a fmt 0/1/2 header with an extended timestamp, fmt-3 chunks repeat the 4-byte
     * field. Some peers omit it, and nothing in the bytes marks which form this is, so peek past the basic
     * header: the bytes are the field if they equal the value the last header carried (or, from some
     * senders, the message's absolute timestamp); otherwise they are payload. See {@link Quirk}.
     *
     * @return 4 if the field is there, 0 if not
     */
    private int repeatedExtendedTimestampBytes(int csid, InboundChunkStream stream, int headerBytes,
                                               long messageTimestamp) throws IOException {
        if (!in.fill(headerBytes + 4)) {
            throw new PeerClosedException("peer closed the connection inside a chunk on csid " + csid);
        }
        long value = in.uint32(headerBytes);
        if (value == stream.extendedValue) {
            return 4;
        }
        if (value == messageTimestamp) {
            quirkCounts[Quirk.EXTENDED_TIMESTAMP_ABSOLUTE_ON_FMT3.ordinal()]++;
            return 4;
        }
        quirkCounts[Quirk.EXTENDED_TIMESTAMP_MISSING_ON_FMT3.ordinal()]++;
        return 0;
    }

    private RawMessage readPayload(int csid, InboundChunkStream stream) throws IOException {
        int length = stream.messageLength;
        int chunkBytes = Math.min(chunkSizeBytes, length - stream.receivedBytes);
        if (chunkBytes > 0) {
            if (stream.payload == null) {
                // Never allocate from the announced length alone: grow with the bytes that really come.
                stream.payload = new byte[Math.min(length, Math.max(chunkBytes, INITIAL_PAYLOAD_BYTES))];
                partialMessages++;
            } else if (stream.receivedBytes + chunkBytes > stream.payload.length) {
                int capacity = Math.max(stream.receivedBytes + chunkBytes, stream.payload.length * 2);
                stream.payload = Arrays.copyOf(stream.payload, Math.min(length, capacity));
            }
            int copied = in.readFully(stream.payload, stream.receivedBytes, chunkBytes);
            stream.receivedBytes += copied;
            if (copied < chunkBytes) {
                throw new PeerClosedException("peer closed the connection inside a message on csid %d (%d of %d bytes)"
                        .formatted(csid, stream.receivedBytes, length));
            }
            if (stream.receivedBytes < length) {
                return null;
            }
            partialMessages--;
        }
        byte[] payload = stream.payload == null ? new byte[0] : stream.payload;
        stream.payload = null;
        stream.receivedBytes = 0;
        return new RawMessage(csid, stream.typeId, stream.messageStreamId, stream.timestamp, payload);
    }

    /**
     * What a fed reader's owner throws when the socket reaches its end: the same closing the blocking
     * {@link #read()} reports, by where the peer stopped.
     */
    public PeerClosedException endOfInput() {
        if (in.available() > 0) {
            return new PeerClosedException("peer closed the connection inside a chunk");
        }
        return closedBetweenChunks();
    }

    private PeerClosedException closedBetweenChunks() {
        if (partialMessages == 0) {
            return new PeerClosedException("peer closed the connection between messages");
        }
        return new PeerClosedException("peer closed the connection with %d message(s) partly received"
                .formatted(partialMessages));
    }
}
