package io.loomcast.gateway.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.EncodedMessage;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A frame's wire forms: one per key, shared, also when many writers ask for one at the same moment. */
class FrameWireTest {
    private static final Frame.WireKey PLAY = new Frame.WireKey(4096, 1);
    private static final Frame.WireKey PUBLISH = new Frame.WireKey(4096, 1, Frame.Use.PUBLISH, 0);

    private static RawMessage encode(Frame f, Frame.WireKey key) {
        return new RawMessage(6, 9, key.messageStreamId(), f.timestampMs() + key.timestampOffsetMs(), f.payload());
    }

    @Test
    void eachKeyIsEncodedOnceAndItsBytesAreShared() {
        Frame f = Frame.video(40, new byte[10_000], true, false);
        AtomicInteger encodes = new AtomicInteger();
        Frame.Encoder counting = (frame, key) -> {
            encodes.incrementAndGet();
            return encode(frame, key);
        };
        EncodedMessage a = f.wire(PLAY, counting);
        assertSame(a, f.wire(PLAY, counting));
        ByteBuffer bytes = f.wireBytes(PLAY, counting);
        assertEquals(1, encodes.get());
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        assertArrayEquals(new ChunkWriter(4096).encode(encode(f, PLAY)), copy);
        assertTrue(a.bytes().isDirect(), "chunked straight into direct memory");
        assertEquals(a.length(), f.wireBytes(PLAY, counting).remaining(), "each caller gets its own position");

        f.wire(PUBLISH, counting);
        f.wire(new Frame.WireKey(128, 1), counting);
        assertEquals(3, encodes.get());
        assertEquals(2, f.wireForms(Frame.Use.PLAY));
        assertEquals(1, f.wireForms(Frame.Use.PUBLISH));
    }

    @Test
    void writersAskingAtOnceLeaveOneFormOfTheKey() throws Exception {
        for (int round = 0; round < 50; round++) {
            Frame f = Frame.video(round, new byte[50_000], false, false);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> writers = new ArrayList<>();
            List<byte[]> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 8; i++) {
                writers.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    ByteBuffer b = f.wireBytes(PUBLISH, FrameWireTest::encode);
                    byte[] out = new byte[b.remaining()];
                    b.get(out);
                    seen.add(out);
                }));
            }
            go.countDown();
            for (Thread t : writers) {
                t.join();
            }
            assertEquals(1, f.wireForms(Frame.Use.PUBLISH), "round " + round);
            for (byte[] s : seen) {
                assertArrayEquals(seen.getFirst(), s);
            }
        }
    }
}
