package io.loomcast.gateway.protocol.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loomcast.gateway.protocol.PeerClosedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Small helpers the chunk tests share: building messages, reading whole streams, comparing messages. */
final class Chunks {
    private Chunks() {}

    static RawMessage message(int csid, int typeId, int msid, long timestamp, byte[] payload) {
        return new RawMessage(csid, typeId, msid, timestamp, payload);
    }

    /** {@code length} bytes counting up from {@code first}, so misplaced slices show in a diff. */
    static byte[] pattern(int length, int first) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }

    static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }

    static ChunkReader reader(InputStream in, int chunkSizeBytes) {
        ChunkReader reader = new ChunkReader(in, ChunkLimits.DEFAULT);
        reader.chunkSize(chunkSizeBytes);
        return reader;
    }

    /** Reads messages until the input ends cleanly between messages. */
    static List<RawMessage> readAll(ChunkReader reader) throws IOException {
        List<RawMessage> messages = new ArrayList<>();
        while (true) {
            try {
                messages.add(reader.read());
            } catch (PeerClosedException e) {
                assertEquals(true, reader.atMessageBoundary(), "input ended mid-message: " + e.getMessage());
                return messages;
            }
        }
    }

    static List<RawMessage> readAll(byte[] bytes, int chunkSizeBytes) throws IOException {
        return readAll(reader(new ByteArrayInputStream(bytes), chunkSizeBytes));
    }

    static void assertSameMessage(RawMessage expected, RawMessage actual) {
        assertEquals(expected.toString(), actual.toString());
        assertArrayEquals(expected.payload(), actual.payload(), () -> "payload of " + expected);
    }

    static void assertSameMessages(List<RawMessage> expected, List<RawMessage> actual) {
        assertEquals(expected.size(), actual.size(), () -> "messages: " + actual);
        for (int i = 0; i < expected.size(); i++) {
            assertSameMessage(expected.get(i), actual.get(i));
        }
    }
}
