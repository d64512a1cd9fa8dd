package io.loomcast.gateway.protocol.chunk;

import static io.loomcast.gateway.protocol.chunk.Chunks.message;
import static io.loomcast.gateway.protocol.chunk.Chunks.pattern;
import static io.loomcast.gateway.protocol.chunk.Chunks.slice;
import static io.loomcast.gateway.testing.Hex.concat;
import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.PeerClosedException;
import io.loomcast.gateway.protocol.ProtocolException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hostile and broken input: limits, unknown chunk streams, misplaced headers, truncation anywhere. */
class ChunkReaderBadInputTest {
    private static final ChunkLimits SMALL = new ChunkLimits(1000, 4, 4096);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "fmt 0 over the limit | 04 000000 0003e9 09 01000000 | message length 1001 on csid 4 exceeds limit 1000",
            "fmt 1 over the limit | 04 000000 000001 09 01000000 aa 44 000000 0003e9 09"
                    + " | message length 1001 on csid 4 exceeds limit 1000",
            "fmt 1 on a new csid | 45 000000 000001 09 | fmt 1 chunk on csid 5, which has no previous header;"
                    + " RTMP 5.3.1.2.1: a chunk stream starts with fmt 0",
            "fmt 2 on a new csid | 85 000000 | fmt 2 chunk on csid 5, which has no previous header;"
                    + " RTMP 5.3.1.2.1: a chunk stream starts with fmt 0",
            "fmt 3 on a new csid, wide id | c1 ff ff | fmt 3 chunk on csid 65599, which has no previous header;"
                    + " RTMP 5.3.1.2.1: a chunk stream starts with fmt 0",
            "fifth chunk stream | 02 000000 000000 14 00000000 03 000000 000000 14 00000000"
                    + " 04 000000 000000 14 00000000 05 000000 000000 14 00000000 00 c8 000000 000000 14 00000000"
                    + " | csid 264 would be chunk stream number 5, exceeding limit 4",
    })
    void rejectsWithAMessageNamingValueAndLimit(String what, String input, String error) throws IOException {
        ChunkReader reader = new ChunkReader(new ByteArrayInputStream(hex(input)), SMALL);
        ProtocolException e = assertThrows(ProtocolException.class, () -> {
            while (true) {
                reader.read();
            }
        });
        assertEquals(error, e.getMessage());
    }

    @Test
    void newHeaderInsideAMessageIsRejected() throws IOException {
        byte[] bytes = concat(hex("04 000000 000200 09 01000000"), new byte[128], hex("84 000001"));
        ChunkReader reader = new ChunkReader(new ByteArrayInputStream(bytes), SMALL);
        ProtocolException e = assertThrows(ProtocolException.class, reader::read);
        assertEquals("fmt 2 chunk on csid 4 while a message is in progress (128 of 512 bytes);"
                + " RTMP 5.3.1.2.4: the rest of a message comes in fmt 3 chunks", e.getMessage());
    }

    @Test
    void thousandsOfChunkStreamsStopAtTheDefaultLimit() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkWriter writer = new ChunkWriter();
        for (int csid = 2; csid < 5000; csid++) {
            writer.write(message(csid, 20, 0, 0, new byte[0]), out);
        }
        ChunkReader reader = new ChunkReader(new ByteArrayInputStream(out.toByteArray()), ChunkLimits.DEFAULT);
        int read = 0;
        try {
            while (true) {
                reader.read();
                read++;
            }
        } catch (ProtocolException e) {
            assertEquals("csid 66 would be chunk stream number 65, exceeding limit 64", e.getMessage());
        }
        assertEquals(64, read);
        assertEquals(64, reader.liveChunkStreams());
    }

    @Test
    void afterAProtocolErrorEveryReadFails() throws IOException {
        ChunkReader reader = new ChunkReader(new ByteArrayInputStream(hex("45 000000 000001 09 aa")), SMALL);
        ProtocolException first = assertThrows(ProtocolException.class, reader::read);
        ProtocolException again = assertThrows(ProtocolException.class, reader::read);
        assertEquals("chunk stream already failed: " + first.getMessage(), again.getMessage());
    }

    @Test
    void announcedLengthsDoNotReserveMemory() throws IOException {
        // 64 chunk streams each announce a 16 MiB message and send one 128-byte chunk: ~1 GiB if trusted.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int csid = 2; csid < 66; csid++) {
            byte[] basicHeader = new byte[3];
            int basicBytes = ChunkStreamIds.writeBasicHeader(java.nio.ByteBuffer.wrap(basicHeader), 0, 0, csid);
            out.write(concat(slice(basicHeader, 0, basicBytes), hex("000000 ffffff 09 01000000"), new byte[128]));
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        ChunkReader reader = new ChunkReader(new ByteArrayInputStream(out.toByteArray()), ChunkLimits.DEFAULT);
        assertThrows(PeerClosedException.class, reader::read);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 16L * 1024 * 1024, "allocated " + allocated + " bytes");
    }

    @Test
    void truncatedAtEveryCutEndsInPeerClosedAndSaysWhetherMidMessage() throws IOException {
        ChunkWriter writer = new ChunkWriter(50);
        List<RawMessage> messages = List.of(
                message(3, 8, 1, 0, pattern(120, 0)),
                message(3, 8, 1, 0x0100_0000L, pattern(120, 1)),
                message(3, 8, 1, 0x0100_0010L, pattern(0, 0)),
                message(320, 9, 1, 5, pattern(7, 2)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> boundaries = new ArrayList<>(List.of(0));
        for (RawMessage m : messages) {
            writer.write(m, out);
            boundaries.add(out.size());
        }
        byte[] bytes = out.toByteArray();
        for (int cut = 0; cut < bytes.length; cut++) {
            ChunkReader reader = Chunks.reader(new ByteArrayInputStream(slice(bytes, 0, cut)), 50);
            int complete = 0;
            try {
                while (true) {
                    reader.read();
                    complete++;
                }
            } catch (PeerClosedException e) {
                assertEquals(boundaries.contains(cut), reader.atMessageBoundary(), "cut " + cut + ": " + e.getMessage());
            }
            int end = cut;
            int expectedComplete = (int) boundaries.stream().filter(b -> b > 0 && b <= end).count();
            assertEquals(expectedComplete, complete, "cut " + cut);
        }
    }
}
