package io.loomcast.gateway.protocol.chunk;

import static io.loomcast.gateway.protocol.chunk.Chunks.assertSameMessages;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loomcast.gateway.testing.SplitInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Property: whatever the writer chunks, at any chunk size and however TCP splits it, the reader gives back. */
class ChunkRoundTripTest {
    private static final int[] CHUNK_STREAM_IDS = {2, 3, 4, 5, 63, 64, 200, 319, 320, 1000, 65599};
    private static final int[] CHUNK_SIZES = {1, 2, 3, 7, 128, 4096, 65536, 0x7FFF_FFFF};

    @Test
    void randomMessageSequencesSurviveWriterThenReader() throws IOException {
        Random random = new Random(0x100_0CA57L);
        for (int round = 0; round < 300; round++) {
            int chunkSize = random.nextInt(4) == 0 ? 1 + random.nextInt(300) : CHUNK_SIZES[random.nextInt(CHUNK_SIZES.length)];
            List<RawMessage> messages = randomMessages(random, 1 + random.nextInt(40), chunkSize);
            ChunkWriter writer = new ChunkWriter(chunkSize);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (RawMessage message : messages) {
                if (random.nextInt(3) == 0) {
                    writer.write(ChunkWriter.encodeStandalone(message, chunkSize), out);
                } else {
                    writer.write(message, out);
                }
            }
            byte[] bytes = out.toByteArray();
            int piece = 1 + random.nextInt(Math.max(1, bytes.length / 3 + 1));
            ChunkReader reader = Chunks.reader(SplitInputStream.pieces(bytes, piece), chunkSize);
            assertSameMessages(messages, Chunks.readAll(reader));
            assertEquals(bytes.length, reader.bytesRead(), "round " + round);
            assertEquals(0, reader.quirkCount(Quirk.EXTENDED_TIMESTAMP_MISSING_ON_FMT3));
            assertEquals(0, reader.quirkCount(Quirk.EXTENDED_TIMESTAMP_ABSOLUTE_ON_FMT3));
        }
    }

    /** Timelines per chunk stream: mostly steady steps, sometimes repeats, jumps past 2^24, wraps and rewinds. */
    private static List<RawMessage> randomMessages(Random random, int count, int chunkSize) {
        long[] timestamps = new long[CHUNK_STREAM_IDS.length];
        for (int i = 0; i < timestamps.length; i++) {
            timestamps[i] = random.nextBoolean() ? random.nextInt(1000) : 0xFFFF_FF00L + random.nextInt(0x80);
        }
        List<RawMessage> messages = new ArrayList<>();
        int steadyLength = random.nextInt(200);
        for (int i = 0; i < count; i++) {
            int stream = random.nextInt(random.nextBoolean() ? 2 : CHUNK_STREAM_IDS.length);
            long step = switch (random.nextInt(8)) {
                case 0 -> 0;
                case 1 -> 0xFF_FFFFL + random.nextInt(3) - 1;
                case 2 -> 0x1_0000_0000L - random.nextInt(50);
                case 3 -> random.nextInt(0x7FFF_FFFF);
                default -> 20;
            };
            timestamps[stream] = (timestamps[stream] + step) & 0xFFFF_FFFFL;
            int length = switch (random.nextInt(6)) {
                case 0 -> 0;
                case 1 -> random.nextInt(chunkSize < 100 ? 40 : 70_000);
                default -> steadyLength;
            };
            byte[] payload = new byte[length];
            random.nextBytes(payload);
            int typeId = random.nextInt(4) == 0 ? random.nextInt(256) : 9;
            int messageStreamId = random.nextInt(6) == 0 ? random.nextInt() : 1;
            messages.add(new RawMessage(CHUNK_STREAM_IDS[stream], typeId, messageStreamId, timestamps[stream], payload));
        }
        return messages;
    }
}
