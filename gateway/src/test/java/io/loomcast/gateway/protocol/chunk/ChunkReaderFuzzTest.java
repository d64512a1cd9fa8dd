package io.loomcast.gateway.protocol.chunk;

import static io.loomcast.gateway.protocol.chunk.Chunks.assertSameMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.loomcast.gateway.protocol.PeerClosedException;
import io.loomcast.gateway.protocol.ProtocolException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Any bytes: the reader ends in {@link ProtocolException} or {@link PeerClosedException} only, and every
 * message it decoded, chunked again by the writer with the same chunk sizes, reads back equal.
 *
 * <p>Input: the first byte picks the starting chunk size (0 = 128, 0xF0 and up = 65536, else itself); the
 * rest is the chunk stream. Set Chunk Size and Abort messages are applied through {@link ProtocolControl},
 * as a session would, so chunk-size changes get fuzzed too. Seeds live in
 * {@code ChunkReaderFuzzTestInputs/decodedMessagesReencode}.
 */
class ChunkReaderFuzzTest {
    private static final ChunkLimits LIMITS = new ChunkLimits(64 * 1024, 8, 64 * 1024);

    @FuzzTest(maxDuration = "60s")
    void decodedMessagesReencode(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        int firstChunkSize = input[0] == 0 ? 128 : (input[0] & 0xFF) >= 0xF0 ? 65536 : input[0] & 0xFF;
        ChunkReader reader = reader(new ByteArrayInputStream(input, 1, input.length - 1), firstChunkSize);
        ProtocolControl control = control(reader);
        List<RawMessage> messages = new ArrayList<>();
        List<Integer> chunkSizesAfter = new ArrayList<>();
        try {
            while (true) {
                RawMessage message = reader.read();
                messages.add(message);
                chunkSizesAfter.add(reader.chunkSizeBytes());
                apply(control, message);
                chunkSizesAfter.set(chunkSizesAfter.size() - 1, reader.chunkSizeBytes());
            }
        } catch (ProtocolException | PeerClosedException expected) {
            // the only two ways out
        }

        ChunkWriter writer = new ChunkWriter(firstChunkSize);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < messages.size(); i++) {
            writer.write(messages.get(i), out);
            writer.chunkSize(chunkSizesAfter.get(i));
        }
        ChunkReader again = reader(new ByteArrayInputStream(out.toByteArray()), firstChunkSize);
        ProtocolControl againControl = control(again);
        for (int i = 0; i < messages.size(); i++) {
            RawMessage reread = again.read();
            assertSameMessage(messages.get(i), reread);
            try {
                apply(againControl, reread);
            } catch (ProtocolException e) {
                assertEquals(messages.size() - 1, i, "control message rejected only where it was the first time");
            }
        }
        assertEquals(out.size(), again.bytesRead());
    }

    private static ChunkReader reader(ByteArrayInputStream in, int chunkSizeBytes) {
        ChunkReader reader = new ChunkReader(in, LIMITS);
        reader.chunkSize(chunkSizeBytes);
        return reader;
    }

    private static ProtocolControl control(ChunkReader reader) {
        return new ProtocolControl(reader, LIMITS, new AckWindow(), new PeerBandwidth(0));
    }

    /** What the session will do with the two control messages that change chunking (RTMP 5.4.1, 5.4.2). */
    private static void apply(ProtocolControl control, RawMessage message) throws ProtocolException {
        if (message.messageStreamId() != 0 || message.length() != 4) {
            return;
        }
        int value = ByteBuffer.wrap(message.payload()).getInt();
        switch (message.typeId()) {
            case 1 -> control.onSetChunkSize(value);
            case 2 -> control.onAbort(value);
            default -> { }
        }
    }
}
