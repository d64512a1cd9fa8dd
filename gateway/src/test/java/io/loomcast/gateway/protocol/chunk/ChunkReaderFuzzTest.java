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

    /**
     * The fed reader against the blocking one, on the same bytes cut into pieces by the input's second byte: the
     * same messages, and only {@link ProtocolException} out of it. Where the blocking reader fails, the fed one
     * fails too or is still waiting for the rest of that chunk. Seeds in {@code fedReaderAgrees}.
     */
    @FuzzTest(maxDuration = "60s")
    void fedReaderAgrees(byte[] input) throws IOException {
        if (input.length < 2) {
            return;
        }
        int firstChunkSize = input[0] == 0 ? 128 : (input[0] & 0xFF) >= 0xF0 ? 65536 : input[0] & 0xFF;
        int piece = 1 + (input[1] & 0xFF);
        List<RawMessage> blocking = new ArrayList<>();
        boolean blockingFailed = false;
        ChunkReader reader = reader(new ByteArrayInputStream(input, 2, input.length - 2), firstChunkSize);
        ProtocolControl control = control(reader);
        try {
            while (true) {
                RawMessage m = reader.read();
                blocking.add(m);
                apply(control, m);
            }
        } catch (ProtocolException e) {
            blockingFailed = true;
        } catch (PeerClosedException e) {
            // the input ended
        }

        ChunkReader fed = reader(new ByteArrayInputStream(new byte[0]), firstChunkSize);
        ProtocolControl fedControl = control(fed);
        fed.detach();
        List<RawMessage> got = new ArrayList<>();
        boolean fedFailed = false;
        try {
            for (int at = 2; at < input.length; at += piece) {
                fed.feed(ByteBuffer.wrap(input, at, Math.min(piece, input.length - at)));
                for (RawMessage m; (m = fed.tryRead()) != null; ) {
                    got.add(m);
                    apply(fedControl, m);
                }
            }
        } catch (ProtocolException e) {
            fedFailed = true;
        }
        assertEquals(blocking.size(), got.size(), "messages read");
        for (int i = 0; i < got.size(); i++) {
            assertSameMessage(blocking.get(i), got.get(i));
        }
        if (fedFailed) {
            assertEquals(true, blockingFailed, "the fed reader failed where the blocking one did not");
        }
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
