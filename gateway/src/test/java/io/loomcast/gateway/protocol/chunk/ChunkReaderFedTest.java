package io.loomcast.gateway.protocol.chunk;

import static io.loomcast.gateway.protocol.chunk.Chunks.assertSameMessages;
import static io.loomcast.gateway.protocol.chunk.Chunks.message;
import static io.loomcast.gateway.protocol.chunk.Chunks.pattern;
import static io.loomcast.gateway.protocol.chunk.Chunks.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loomcast.gateway.protocol.ProtocolException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reader fed by its caller ({@link ChunkReader#detach()}, {@link ChunkReader#feed}, {@link ChunkReader#tryRead()}):
 * the same messages as the blocking reader however the bytes are cut, nothing lost at the switch from the
 * stream, and never a half-parsed chunk.
 */
class ChunkReaderFedTest {

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    /** Feeds {@code bytes} in pieces ending at {@code cuts} (sorted), taking messages as they complete. */
    static List<RawMessage> feedAll(ChunkReader reader, byte[] bytes, int... cuts) throws IOException {
        reader.detach();
        List<RawMessage> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            reader.feed(ByteBuffer.wrap(bytes, from, to - from));
            for (RawMessage m; (m = reader.tryRead()) != null; ) {
                out.add(m);
                if (m.typeId() == 1) {
                    reader.chunkSize(ByteBuffer.wrap(m.payload()).getInt());
                }
            }
            from = to;
        }
        return out;
    }

    private static byte[] sample() {
        ChunkWriter w = new ChunkWriter(128);
        return concat(SpecVectors.EXAMPLE_1_BYTES, SpecVectors.EXAMPLE_2_BYTES,
                w.encode(message(2, 20, 0, 0x0100_0000L, pattern(300, 3))),
                // extended timestamps, repeated on fmt 3 as the spec says
                w.encode(message(6, 9, 1, 0x0200_0000L, pattern(700, 9))),
                w.encode(message(6, 9, 1, 0x0200_0021L, pattern(5, 1))));
    }

    @Test
    void everySplitPointReadsAsTheBlockingReaderDoes() throws IOException {
        byte[] bytes = sample();
        List<RawMessage> expected = readAll(bytes, 128);
        assertEquals(8, expected.size());
        for (int cut = 1; cut < bytes.length; cut++) {
            assertSameMessages(expected, feedAll(Chunks.reader(InputStream.nullInputStream(), 128), bytes, cut));
        }
        int[] everyByte = new int[bytes.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertSameMessages(expected, feedAll(Chunks.reader(InputStream.nullInputStream(), 128), bytes, everyByte));
    }

    @Test
    void bytesTheStreamAlreadyBufferedAreKeptAtTheSwitch() throws IOException {
        byte[] bytes = sample();
        List<RawMessage> expected = readAll(bytes, 128);
        ChunkReader measure = Chunks.reader(new ByteArrayInputStream(bytes), 128);
        measure.read();
        int firstMessageBytes = (int) measure.bytesRead();
        for (int split = firstMessageBytes; split <= bytes.length; split++) {
            // The stream holds the first `split` bytes; reading the first message buffers some of them. At the
            // switch the caller feeds what the stream still holds (as RtmpClient.nonBlocking drains its
            // buffered stream), then the rest.
            ByteArrayInputStream stream = new ByteArrayInputStream(bytes, 0, split);
            ChunkReader reader = Chunks.reader(stream, 128);
            List<RawMessage> got = new ArrayList<>();
            got.add(reader.read());
            reader.detach();
            reader.feed(ByteBuffer.wrap(stream.readAllBytes()));
            reader.feed(ByteBuffer.wrap(bytes, split, bytes.length - split));
            for (RawMessage m; (m = reader.tryRead()) != null; ) {
                got.add(m);
            }
            assertSameMessages(expected, got);
        }
    }

    @Test
    void aChunkLargerThanTheBufferIsWaitedForWhole() throws IOException {
        RawMessage big = message(6, 9, 1, 40, pattern(200_000, 5));
        byte[] bytes = new ChunkWriter(65_536).encode(big);
        ChunkReader reader = Chunks.reader(InputStream.nullInputStream(), 65_536);
        Random random = new Random(7);
        int[] cuts = random.ints(50, 1, bytes.length).sorted().distinct().toArray();
        assertSameMessages(List.of(big), feedAll(reader, bytes, cuts));
    }

    @Test
    void nothingIsReturnedUntilAChunkIsComplete() throws IOException {
        ChunkReader reader = Chunks.reader(InputStream.nullInputStream(), 128);
        reader.detach();
        byte[] bytes = SpecVectors.EXAMPLE_2_BYTES;
        reader.feed(ByteBuffer.wrap(bytes, 0, bytes.length - 1));
        assertNull(reader.tryRead());
        reader.feed(ByteBuffer.wrap(bytes, bytes.length - 1, 1));
        assertEquals(SpecVectors.EXAMPLE_2_MESSAGE.length(), reader.tryRead().length());
        assertNull(reader.tryRead());
    }

    @Test
    void badBytesFailAsTheyDoForTheBlockingReader() {
        ChunkReader reader = Chunks.reader(InputStream.nullInputStream(), 128);
        reader.detach();
        reader.feed(ByteBuffer.wrap(new byte[] {(byte) 0x44, 0, 0, 0, 0, 0, 1, 8})); // fmt 1 on a new csid
        assertThrows(ProtocolException.class, reader::tryRead);
        assertThrows(ProtocolException.class, reader::tryRead);
    }

    @Test
    void feedingBeforeDetachingIsAMistake() {
        ChunkReader reader = Chunks.reader(InputStream.nullInputStream(), 128);
        assertThrows(IllegalStateException.class, () -> reader.feed(ByteBuffer.allocate(1)));
    }
}
