package io.loomcast.gateway.protocol.chunk;

import static io.loomcast.gateway.protocol.chunk.Chunks.message;
import static io.loomcast.gateway.protocol.chunk.Chunks.pattern;
import static io.loomcast.gateway.testing.Hex.concat;
import static io.loomcast.gateway.testing.Hex.hex;
import static io.loomcast.gateway.testing.Hex.toHex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Encoding: the spec's examples, header choice, chunk stream id forms, extended timestamps, shared bytes. */
class ChunkWriterTest {

    @Test
    void specExample1FourAudioMessagesWithFmt0Then2Then3() throws IOException {
        ChunkWriter writer = new ChunkWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (RawMessage message : SpecVectors.EXAMPLE_1_MESSAGES) {
            writer.write(message, out);
        }
        assertEquals(toHex(SpecVectors.EXAMPLE_1_BYTES), toHex(out.toByteArray()));
    }

    @Test
    void specExample2OneMessageInThreeChunks() {
        assertEquals(toHex(SpecVectors.EXAMPLE_2_BYTES), toHex(new ChunkWriter(128).encode(SpecVectors.EXAMPLE_2_MESSAGE)));
    }

    @ParameterizedTest(name = "csid {0} as {1}")
    @CsvSource({"2, 02, c2", "63, 3f, ff", "64, 00 00, c0 00", "319, 00 ff, c0 ff", "320, 01 00 01, c1 00 01",
            "65599, 01 ff ff, c1 ff ff"})
    void smallestBasicHeaderForEachChunkStreamId(int csid, String fmt0Header, String fmt3Header) {
        byte[] encoded = new ChunkWriter(1).encode(message(csid, 20, 0, 0, hex("7879")));
        assertEquals(toHex(concat(hex(fmt0Header), hex("000000 000002 14 00000000 78"), hex(fmt3Header), hex("79"))),
                toHex(encoded));
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 1, 65600, Integer.MAX_VALUE})
    void chunkStreamIdOutOfRangeIsRejected(int csid) {
        RawMessage message = message(csid, 20, 0, 0, hex("00"));
        assertThrows(IllegalArgumentException.class, () -> new ChunkWriter().encode(message));
        assertThrows(IllegalArgumentException.class, () -> ChunkWriter.encodeStandalone(message, 128));
    }

    @Test
    void typeIdAndLengthMustFitTheirFields() {
        ChunkWriter writer = new ChunkWriter();
        assertThrows(IllegalArgumentException.class, () -> writer.encode(message(3, 256, 0, 0, new byte[0])));
        assertThrows(IllegalArgumentException.class, () -> writer.encode(message(3, 9, 0, 0, new byte[0x100_0000])));
        assertThrows(IllegalArgumentException.class, () -> new ChunkWriter(0));
        assertThrows(IllegalArgumentException.class, () -> writer.chunkSize(-5));
    }

    @Test
    void headerFormFollowsWhatChanged() {
        ChunkWriter writer = new ChunkWriter();
        assertEquals("0500000a00000109 01000000 aa".replace(" ", ""), toHex(writer.encode(message(5, 9, 1, 10, hex("aa")))));
        // Right after fmt 0 we send fmt 2 even if the delta happened to equal the fmt-0 timestamp.
        assertEquals("85 00000a bb".replace(" ", ""), toHex(writer.encode(message(5, 9, 1, 20, hex("bb")))));
        assertEquals("c5 cc".replace(" ", ""), toHex(writer.encode(message(5, 9, 1, 30, hex("cc")))));
        assertEquals("85 000005 dd".replace(" ", ""), toHex(writer.encode(message(5, 9, 1, 35, hex("dd")))));
        assertEquals("45 000005 000002 09 eeee".replace(" ", ""),
                toHex(writer.encode(message(5, 9, 1, 40, hex("eeee")))));
        assertEquals("45 000000 000002 08 ffff".replace(" ", ""),
                toHex(writer.encode(message(5, 8, 1, 40, hex("ffff")))));
        // A timestamp that goes back, or another message stream, needs fmt 0 (RTMP 5.3.1.2.1).
        assertEquals("05 000027 000002 08 01000000 1111".replace(" ", ""),
                toHex(writer.encode(message(5, 8, 1, 39, hex("1111")))));
        assertEquals("05 000027 000002 08 02000000 2222".replace(" ", ""),
                toHex(writer.encode(message(5, 8, 2, 39, hex("2222")))));
    }

    @Test
    void chunkStreamsKeepSeparateState() {
        ChunkWriter writer = new ChunkWriter();
        writer.encode(message(3, 8, 1, 0, hex("aa")));
        assertEquals("04 000000 000001 09 01000000 bb".replace(" ", ""), toHex(writer.encode(message(4, 9, 1, 0, hex("bb")))));
        assertEquals("83 000014 cc".replace(" ", ""), toHex(writer.encode(message(3, 8, 1, 20, hex("cc")))));
    }

    @Test
    void extendedTimestampIsRepeatedOnEveryFmt3Chunk() {
        ChunkWriter writer = new ChunkWriter(4);
        assertEquals(toHex(hex("02 ffffff 000006 14 00000000 01000000 aabbccdd c2 01000000 eeff")),
                toHex(writer.encode(message(2, 20, 0, 0x0100_0000L, hex("aabbccddeeff")))));
        // An extended delta (fmt 2) is what the fmt-3 chunks repeat, also on a fmt-3 new message.
        assertEquals(toHex(hex("82 ffffff 01000000 11223344 c2 01000000 5566")),
                toHex(writer.encode(message(2, 20, 0, 0x0200_0000L, hex("112233445566")))));
        assertEquals(toHex(hex("c2 01000000 778899aa c2 01000000 bbcc")),
                toHex(writer.encode(message(2, 20, 0, 0x0300_0000L, hex("778899aabbcc")))));
        // A small delta drops the extended field again.
        assertEquals(toHex(hex("82 000001 01020304 c2 0506")),
                toHex(writer.encode(message(2, 20, 0, 0x0300_0001L, hex("010203040506")))));
    }

    @Test
    void largestTimestampUsesTheFullExtendedField() {
        assertEquals(toHex(hex("02 ffffff 000000 14 00000000 ffffffff")),
                toHex(new ChunkWriter().encode(message(2, 20, 0, 0xFFFF_FFFFL, new byte[0]))));
        assertEquals(toHex(hex("02 fffffe 000000 14 00000000")),
                toHex(new ChunkWriter().encode(message(2, 20, 0, 0xFF_FFFEL, new byte[0]))));
    }

    @Test
    void encodesIntoACallerBufferAtAnOffset() {
        ChunkWriter writer = new ChunkWriter();
        RawMessage message = SpecVectors.EXAMPLE_2_MESSAGE;
        byte[] dst = new byte[5 + writer.encodedLength(message)];
        assertEquals(SpecVectors.EXAMPLE_2_BYTES.length, writer.encode(message, dst, 5));
        assertArrayEquals(SpecVectors.EXAMPLE_2_BYTES, java.util.Arrays.copyOfRange(dst, 5, dst.length));
    }

    @Test
    void tooSmallABufferFailsWithoutChangingState() {
        ChunkWriter writer = new ChunkWriter();
        RawMessage message = SpecVectors.EXAMPLE_1_MESSAGES.get(0);
        assertThrows(IndexOutOfBoundsException.class, () -> writer.encode(message, new byte[10], 0));
        assertEquals(toHex(SpecVectors.EXAMPLE_1_BYTES).substring(0, 2 * 44), toHex(writer.encode(message)));
    }

    @Test
    void chunkSizeChangeAppliesToTheNextMessage() {
        ChunkWriter writer = new ChunkWriter(2);
        assertEquals(toHex(hex("03 000000 000003 08 00000000 0001 c3 02")),
                toHex(writer.encode(message(3, 8, 0, 0, pattern(3, 0)))));
        writer.chunkSize(4096);
        assertEquals(4096, writer.chunkSizeBytes());
        assertEquals(toHex(hex("83 000001 000102")), toHex(writer.encode(message(3, 8, 0, 1, pattern(3, 0)))));
    }

    @Test
    void standaloneBytesStartWithFmt0AndEqualAFreshWritersOutput() {
        RawMessage message = message(6, 9, 1, 0x0123_4567L, pattern(1000, 9));
        EncodedMessage encoded = ChunkWriter.encodeStandalone(message, 128);
        byte[] bytes = new byte[encoded.length()];
        encoded.bytes().duplicate().get(bytes);
        assertArrayEquals(new ChunkWriter(128).encode(message), bytes);
        assertEquals(0, (bytes[0] & 0xFF) >>> 6);
        assertEquals(1000, encoded.payloadLength());
        assertEquals(128, encoded.chunkSizeBytes());
    }

    @Test
    void standaloneBytesChunkedIntoDirectMemoryEqualAFreshWritersOutput() {
        // Every basic header size, timestamps on both sides of the extended field, and one-byte to whole chunks.
        for (int csid : new int[] {2, 63, 64, 319, 320, 65599}) {
            for (long timestamp : new long[] {0, 0xFF_FFFEL, 0xFF_FFFFL, 0xFFFF_FFFFL}) {
                for (int chunkSize : new int[] {1, 128, 300, 4096}) {
                    RawMessage message = message(csid, 9, 1, timestamp, pattern(300, csid));
                    EncodedMessage direct = ChunkWriter.encodeStandalone(message, chunkSize, ByteBuffer::allocateDirect);
                    assertTrue(direct.bytes().isDirect());
                    assertTrue(direct.bytes().isReadOnly(), "shared bytes must not be writable");
                    byte[] bytes = new byte[direct.length()];
                    direct.bytes().duplicate().get(bytes);
                    String where = "csid %d, ts %d, chunk size %d".formatted(csid, timestamp, chunkSize);
                    assertArrayEquals(new ChunkWriter(chunkSize).encode(message), bytes, where);
                    assertEquals(ChunkWriter.encodeStandalone(message, chunkSize).bytes(), direct.bytes(), where);
                }
            }
        }
    }

    @Test
    void standaloneMemoryMustStartAtZeroAndHoldTheMessage() {
        RawMessage message = message(6, 9, 1, 0, pattern(100, 1));
        assertThrows(IllegalArgumentException.class,
                () -> ChunkWriter.encodeStandalone(message, 128, n -> ByteBuffer.allocate(n - 1)));
        assertThrows(IllegalArgumentException.class,
                () -> ChunkWriter.encodeStandalone(message, 128, n -> ByteBuffer.allocate(n + 1).position(1)));
        // A larger buffer is fine; the message keeps only its own bytes.
        assertEquals(112, ChunkWriter.encodeStandalone(message, 128, n -> ByteBuffer.allocate(n + 50)).length());
    }

    @Test
    void sharedBytesLeaveTheWriterWhereItsOwnFmt0WouldHave() throws IOException {
        ChunkWriter viaShared = new ChunkWriter();
        ChunkWriter direct = new ChunkWriter();
        ByteArrayOutputStream sharedOut = new ByteArrayOutputStream();
        ByteArrayOutputStream directOut = new ByteArrayOutputStream();
        // Messages the writer would have given fmt 3 still go out as the shared fmt-0 bytes.
        viaShared.write(message(3, 8, 1, 1000, pattern(32, 0)), sharedOut);
        viaShared.write(message(3, 8, 1, 1020, pattern(32, 0)), sharedOut);
        viaShared.write(ChunkWriter.encodeStandalone(message(3, 8, 1, 1040, pattern(32, 0)), 128), sharedOut);
        direct.write(message(3, 8, 1, 1040, pattern(32, 0)), directOut);
        assertEquals("03 000410 000020 08 01000000".replace(" ", ""),
                toHex(sharedOut.toByteArray()).substring(2 * (12 + 32 + 4 + 32), 2 * (12 + 32 + 4 + 32 + 12)));
        for (long timestamp : new long[] {1060, 1080, 1090, 1100}) {
            RawMessage next = message(3, 8, 1, timestamp, pattern(32, 0));
            assertEquals(toHex(direct.encode(next)), toHex(viaShared.encode(next)));
        }
    }

    @Test
    void markWrittenUpdatesStateForBytesSentElsewhere() {
        ChunkWriter writer = new ChunkWriter();
        writer.markWritten(ChunkWriter.encodeStandalone(message(3, 8, 1, 1000, pattern(32, 0)), 128));
        assertEquals("83000014", toHex(writer.encode(message(3, 8, 1, 1020, pattern(32, 0)))).substring(0, 8));
    }

    @Test
    void sharedBytesMustMatchTheConnectionsChunkSize() {
        EncodedMessage encoded = ChunkWriter.encodeStandalone(SpecVectors.EXAMPLE_2_MESSAGE, 4096);
        ChunkWriter writer = new ChunkWriter(128);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> writer.write(encoded, new ByteArrayOutputStream()));
        assertEquals("message chunked at 4096 bytes, connection sends 128-byte chunks", e.getMessage());
    }
}
