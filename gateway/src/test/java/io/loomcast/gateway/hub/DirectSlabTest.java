package io.loomcast.gateway.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DirectSlabTest {

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] read(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** What a frame's wire form does with a slice: fills it in place. */
    private static ByteBuffer copy(DirectSlab slab, byte[] b) {
        return slab.slice(b.length).put(0, b);
    }

    @Test
    void everyCopyHoldsItsOwnBytesAcrossBlocks() {
        DirectSlab slab = new DirectSlab();
        Random r = new Random(7);
        List<byte[]> originals = new ArrayList<>();
        List<ByteBuffer> copies = new ArrayList<>();
        int total = 0;
        // Sizes around the slice limit and enough of them to fill several blocks, one byte short of a block's end.
        for (int i = 0; total < 5 * DirectSlab.BLOCK_BYTES; i++) {
            int n = switch (i % 5) {
                case 0 -> DirectSlab.MAX_SLICE_BYTES;
                case 1 -> DirectSlab.MAX_SLICE_BYTES + 1;
                case 2 -> 1;
                case 3 -> 0;
                default -> r.nextInt(DirectSlab.MAX_SLICE_BYTES);
            };
            byte[] b = bytes(r, n);
            originals.add(b);
            copies.add(copy(slab, b));
            total += n;
        }
        for (int i = 0; i < originals.size(); i++) {
            ByteBuffer c = copies.get(i);
            assertTrue(c.isDirect());
            assertEquals(0, c.position());
            assertEquals(originals.get(i).length, c.limit());
            assertEquals(originals.get(i).length, c.capacity(), "a copy must not reach into the next one");
            assertArrayEquals(originals.get(i), read(c), "copy " + i);
        }
    }

    @Test
    void copiesFromManyThreadsDoNotOverlap() throws InterruptedException {
        DirectSlab slab = new DirectSlab();
        int threads = 4;
        int each = 2_000;
        List<List<ByteBuffer>> copies = new ArrayList<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<ByteBuffer> mine = new ArrayList<>();
            copies.add(mine);
            byte fill = (byte) (t + 1);
            started.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    byte[] b = new byte[100 + i % 900];
                    Arrays.fill(b, fill);
                    mine.add(copy(slab, b));
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < each; i++) {
                byte[] got = read(copies.get(t).get(i));
                assertEquals(100 + i % 900, got.length);
                for (byte b : got) {
                    assertEquals(t + 1, b, "thread " + t + " copy " + i + " was overwritten");
                }
            }
        }
    }

    @Test
    void aStreamsFrameSendsTheSameBytesAsItsChunkedForm() {
        Random r = new Random(3);
        DirectSlab slab = new DirectSlab();
        Frame.Encoder encoder = (f, key) -> new RawMessage(6, 9, key.messageStreamId(), f.timestampMs(), f.payload());
        for (int n : new int[] {0, 1, 127, 128, 129, 4_000, 20_000, 70_000}) {
            for (boolean config : new boolean[] {false, true}) {
                Frame f = new Frame(Frame.Kind.VIDEO, 40, bytes(r, n), false, config, slab);
                Frame.WireKey key = new Frame.WireKey(128, 1);
                byte[] expected = new ChunkWriter(128).encode(encoder.message(f, key));
                assertArrayEquals(expected, read(f.wireBytes(key, encoder)), n + " bytes, config " + config);
                Frame later = f.at(80);
                assertArrayEquals(new ChunkWriter(128).encode(encoder.message(later, key)),
                        read(later.wireBytes(key, encoder)),
                        "restamped copy, " + n + " bytes");
            }
        }
    }
}
