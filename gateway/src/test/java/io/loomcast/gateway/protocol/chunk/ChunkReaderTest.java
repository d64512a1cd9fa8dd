package io.loomcast.gateway.protocol.chunk;

import static io.loomcast.gateway.protocol.chunk.Chunks.assertSameMessage;
import static io.loomcast.gateway.protocol.chunk.Chunks.assertSameMessages;
import static io.loomcast.gateway.protocol.chunk.Chunks.message;
import static io.loomcast.gateway.protocol.chunk.Chunks.pattern;
import static io.loomcast.gateway.protocol.chunk.Chunks.readAll;
import static io.loomcast.gateway.protocol.chunk.Chunks.slice;
import static io.loomcast.gateway.testing.Hex.concat;
import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.PeerClosedException;
import io.loomcast.gateway.testing.SplitInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decoding: the spec's examples, header forms, timestamps, interleaving and chunk-size changes. */
class ChunkReaderTest {

    @Test
    void specExample1FourAudioMessagesWithFmt0Then2Then3() throws IOException {
        assertSameMessages(SpecVectors.EXAMPLE_1_MESSAGES, readAll(SpecVectors.EXAMPLE_1_BYTES, 128));
    }

    @Test
    void specExample2OneMessageInThreeChunks() throws IOException {
        assertSameMessages(List.of(SpecVectors.EXAMPLE_2_MESSAGE), readAll(SpecVectors.EXAMPLE_2_BYTES, 128));
    }

    @ParameterizedTest(name = "csid {0} from {1}")
    @CsvSource({"2, 02", "63, 3f", "64, 00 00", "319, 00 ff", "320, 01 00 01", "65599, 01 ff ff",
            "64, 01 00 00", "319, 01 ff 00"})
    void basicHeaderForms(int csid, String basicHeader) throws IOException {
        byte[] bytes = concat(hex(basicHeader), hex("000000 000001 14 00000000 78"));
        assertSameMessages(List.of(message(csid, 20, 0, 0, hex("78"))), readAll(bytes, 128));
    }

    @Test
    void twoAndThreeByteFormsOfOneIdAreOneChunkStream() throws IOException {
        byte[] bytes = concat(hex("01 24 00 000000 000002 14 00000000 aa"), hex("c0 24 bb"));
        RawMessage read = readAll(bytes, 1).get(0);
        assertSameMessage(message(100, 20, 0, 0, hex("aabb")), read);
    }

    @Test
    void fmt1And2InheritAndAddDeltas() throws IOException {
        byte[] bytes = concat(
                hex("05 000010 000001 09 01000000 aa"),
                hex("45 000005 000002 08 bbcc"),
                hex("85 000007 dddd"),
                hex("c5 eeee"));
        assertSameMessages(List.of(
                message(5, 9, 1, 16, hex("aa")),
                message(5, 8, 1, 21, hex("bbcc")),
                message(5, 8, 1, 28, hex("dddd")),
                message(5, 8, 1, 35, hex("eeee"))), readAll(bytes, 128));
    }

    @Test
    void fmt3NewMessageAfterFmt0UsesTheFmt0TimestampAsDelta() throws IOException {
        // Like FFmpeg and SRS: fmt 3 takes the preceding header's timestamp field, here the absolute 100.
        byte[] bytes = concat(hex("02 000064 000001 14 00000000 01"), hex("c2 02"));
        assertEquals(List.of(100L, 200L), readAll(bytes, 128).stream().map(RawMessage::timestamp).toList());
    }

    @Test
    void zeroLengthMessagesCompleteWithTheirHeader() throws IOException {
        byte[] bytes = concat(hex("03 000001 000000 12 00000000"), hex("83 000001"), hex("c3"));
        assertEquals(List.of(1L, 2L, 3L), readAll(bytes, 128).stream().map(RawMessage::timestamp).toList());
    }

    @Test
    void extendedTimestampRepeatedOnFmt3AsTheSpecSays() throws IOException {
        ChunkReader reader = reader(concat(
                hex("02 ffffff 000006 14 00000000 01000000 aabbccdd"),
                hex("c2 01000000 eeff")), 4);
        assertSameMessage(message(2, 20, 0, 0x0100_0000L, hex("aabbccddeeff")), reader.read());
        assertEquals(0, reader.quirkCount(Quirk.EXTENDED_TIMESTAMP_MISSING_ON_FMT3));
        assertEquals(0, reader.quirkCount(Quirk.EXTENDED_TIMESTAMP_ABSOLUTE_ON_FMT3));
    }

    @Test
    void extendedTimestampMissingOnFmt3IsAcceptedAndCounted() throws IOException {
        ChunkReader reader = reader(concat(
                hex("02 ffffff 000008 14 00000000 01000000 aabbccdd"),
                hex("c2 eeff0011")), 4);
        assertSameMessage(message(2, 20, 0, 0x0100_0000L, hex("aabbccddeeff0011")), reader.read());
        assertEquals(1, reader.quirkCount(Quirk.EXTENDED_TIMESTAMP_MISSING_ON_FMT3));
    }

    @Test
    void extendedTimestampRepeatingTheAbsoluteTimeAfterAnExtendedDeltaIsCounted() throws IOException {
        ChunkReader reader = reader(concat(
                hex("02 00000a 000004 14 00000000 00000000"),
                hex("42 ffffff 000008 14 01000000 11223344"),
                hex("c2 0100000a 55667788")), 4);
        assertEquals(10, reader.read().timestamp());
        assertSameMessage(message(2, 20, 0, 0x0100_000AL, hex("1122334455667788")), reader.read());
        assertEquals(1, reader.quirkCount(Quirk.EXTENDED_TIMESTAMP_ABSOLUTE_ON_FMT3));
        assertEquals(0, reader.quirkCount(Quirk.EXTENDED_TIMESTAMP_MISSING_ON_FMT3));
    }

    @Test
    void fmt3NewMessageReappliesAnExtendedDeltaWithOrWithoutTheRepeatedField() throws IOException {
        byte[] head = concat(hex("02 000000 000001 14 00000000 01"), hex("82 ffffff 01000000 02"));
        ChunkReader with = reader(concat(head, hex("c2 01000000 03")), 128);
        ChunkReader without = reader(concat(head, hex("c2 03"), hex("c2 01000000 04")), 128);
        for (ChunkReader reader : List.of(with, without)) {
            assertEquals(0, reader.read().timestamp());
            assertEquals(0x0100_0000L, reader.read().timestamp());
            assertSameMessage(message(2, 20, 0, 0x0200_0000L, hex("03")), reader.read());
        }
        assertEquals(0, with.quirkCount(Quirk.EXTENDED_TIMESTAMP_MISSING_ON_FMT3));
        assertEquals(1, without.quirkCount(Quirk.EXTENDED_TIMESTAMP_MISSING_ON_FMT3));
    }

    @Test
    void timestampsPast2To24AndDeltasWrappingPast2To32() throws IOException {
        byte[] bytes = concat(
                hex("02 ffffff 000001 14 00000000 fffffff0 01"),
                hex("82 000020 02"),
                hex("c2 03"),
                hex("42 ffffff 000001 14 fffffff0 04"));
        assertEquals(List.of(0xFFFF_FFF0L, 0x10L, 0x30L, 0x20L),
                readAll(bytes, 128).stream().map(RawMessage::timestamp).toList());
    }

    @Test
    void interleavedMessagesOnTwoChunkStreams() throws IOException {
        byte[] video = pattern(300, 0);
        byte[] bytes = concat(
                hex("04 000000 00012c 09 01000000"), slice(video, 0, 128),
                hex("03 000000 000002 08 01000000 a1a2"),
                hex("c4"), slice(video, 128, 256),
                hex("83 000017 b1b2"),
                hex("c4"), slice(video, 256, 300));
        assertSameMessages(List.of(
                message(3, 8, 1, 0, hex("a1a2")),
                message(3, 8, 1, 23, hex("b1b2")),
                message(4, 9, 1, 0, video)), readAll(bytes, 128));
    }

    @Test
    void abortDropsThePartialMessageAndKeepsTheHeader() throws IOException {
        byte[] bytes = concat(
                hex("04 000000 00012c 09 01000000"), pattern(128, 0),
                hex("02 000000 000004 02 00000000 00000004"),
                hex("c4"), pattern(128, 0), hex("c4"), pattern(128, 0), hex("c4"), pattern(44, 0));
        ChunkReader reader = reader(bytes, 128);
        RawMessage abort = reader.read();
        assertEquals(2, abort.typeId());
        assertFalse(reader.atMessageBoundary());
        reader.abort(4);
        reader.abort(9); // unknown chunk streams: nothing to drop
        // The next fmt-3 chunk starts a new 300-byte message that adds the last delta (0) again.
        RawMessage restarted = reader.read();
        assertEquals(300, restarted.length());
        assertEquals(0, restarted.timestamp());
    }

    @Test
    void chunkSizeOneAndLarge() throws IOException {
        RawMessage message = message(6, 9, 1, 40, pattern(70_000, 7));
        for (int chunkSize : new int[] {1, 65536, 0x7FFF_FFFF}) {
            byte[] bytes = new ChunkWriter(chunkSize).encode(message);
            assertSameMessages(List.of(message), readAll(bytes, chunkSize));
        }
    }

    @Test
    void chunkSizeChangesBetweenChunksOfOneMessage() throws IOException {
        // A Set Chunk Size on csid 2 arrives between two chunks of a message on csid 4 (RTMP 5.4.1: the new
        // size applies to every chunk after it, including the rest of that message).
        byte[] bytes = concat(
                hex("04 000000 00000a 09 01000000 0001"),
                hex("02 000000 000004 01 00000000 0000"), hex("c2 0008"),
                hex("c4 0203040506070809"));
        ChunkReader reader = reader(bytes, 2);
        RawMessage setChunkSize = reader.read();
        assertSameMessage(message(2, 1, 0, 0, hex("00000008")), setChunkSize);
        reader.chunkSize(8);
        assertSameMessage(message(4, 9, 1, 0, pattern(10, 0)), reader.read());
    }

    @Test
    void everySplitPointAndOneBytePieces() throws IOException {
        byte[] bytes = concat(SpecVectors.EXAMPLE_1_BYTES, SpecVectors.EXAMPLE_2_BYTES,
                new ChunkWriter(128).encode(message(2, 20, 0, 0x0100_0000L, pattern(300, 3))));
        List<RawMessage> expected = readAll(bytes, 128);
        assertEquals(6, expected.size());
        for (int cut = 1; cut < bytes.length; cut++) {
            assertSameMessages(expected, readAll(Chunks.reader(new SplitInputStream(bytes, cut), 128)));
        }
        assertSameMessages(expected, readAll(Chunks.reader(SplitInputStream.pieces(bytes, 1), 128)));
    }

    @Test
    void endOfInputBetweenMessagesAndInsideOne() throws IOException {
        ChunkReader clean = reader(SpecVectors.EXAMPLE_2_BYTES, 128);
        clean.read();
        PeerClosedException between = assertThrows(PeerClosedException.class, clean::read);
        assertTrue(clean.atMessageBoundary());
        assertEquals("peer closed the connection between messages", between.getMessage());

        ChunkReader cut = reader(slice(SpecVectors.EXAMPLE_2_BYTES, 0, 200), 128);
        PeerClosedException inside = assertThrows(PeerClosedException.class, cut::read);
        assertFalse(cut.atMessageBoundary());
        assertEquals("peer closed the connection inside a message on csid 4 (187 of 307 bytes)", inside.getMessage());
    }

    @Test
    void countsEveryByteRead() throws IOException {
        ChunkReader reader = reader(SpecVectors.EXAMPLE_1_BYTES, 128);
        readAll(reader);
        assertEquals(SpecVectors.EXAMPLE_1_BYTES.length, reader.bytesRead());
    }

    private static ChunkReader reader(byte[] bytes, int chunkSizeBytes) {
        return Chunks.reader(new ByteArrayInputStream(bytes), chunkSizeBytes);
    }

    private static ChunkReader reader(java.io.InputStream in, int chunkSizeBytes) {
        return Chunks.reader(in, chunkSizeBytes);
    }
}
