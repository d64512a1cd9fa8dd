package io.loomcast.gateway.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.EncodedMessage;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A flusher's batch writes the same frames to player after player through views it reuses. */
class WriteBatchTest {
    private static EncodedMessage shared(int n, int seed) {
        byte[] payload = new byte[n];
        for (int i = 0; i < n; i++) {
            payload[i] = (byte) (seed + i);
        }
        return ChunkWriter.encodeStandalone(new RawMessage(6, 9, 1, seed, payload), 128, ByteBuffer::allocateDirect);
    }

    /** What a gathering write would send, consuming the buffers as a socket does. */
    private static byte[] drain(WriteBatch batch) {
        ByteBuffer all = ByteBuffer.allocate((int) batch.bytes());
        for (int i = 0; i < batch.count(); i++) {
            all.put(batch.buffers()[i]);
        }
        return all.array();
    }

    private static byte[] bytes(EncodedMessage m) {
        byte[] b = new byte[m.length()];
        m.bytes().duplicate().get(b);
        return b;
    }

    @Test
    void eachPlayersWriteSendsEveryByteThroughTheSameViews() {
        EncodedMessage audio = shared(40, 1);
        EncodedMessage video = shared(1000, 2);
        byte[] expected = ByteBuffer.allocate(audio.length() + video.length()).put(bytes(audio)).put(bytes(video)).array();
        WriteBatch batch = new WriteBatch(true);
        ByteBuffer firstView = null;
        for (int player = 0; player < 5; player++) {
            batch.add(audio);
            batch.add(video);
            if (firstView == null) {
                firstView = batch.buffers()[0];
            }
            assertSame(firstView, batch.buffers()[0], "player " + player + " reuses the view");
            assertEquals(expected.length, batch.bytes(), "player " + player);
            assertArrayEquals(expected, drain(batch), "player " + player);
            batch.clear();
        }
        assertEquals(audio.length(), audio.bytes().remaining(), "the shared bytes themselves are never consumed");
    }

    @Test
    void aFormTwiceInOneWriteGetsTwoViews() {
        EncodedMessage m = shared(300, 3);
        WriteBatch batch = new WriteBatch(true);
        batch.add(m);
        batch.add(m);
        assertNotSame(batch.buffers()[0], batch.buffers()[1]);
        assertEquals(2 * m.length(), drain(batch).length);
    }

    @Test
    void whatASocketLeftIsKeptApartFromTheViews() {
        EncodedMessage a = shared(500, 4);
        EncodedMessage b = shared(700, 5);
        WriteBatch batch = new WriteBatch(true);
        batch.add(a);
        batch.add(b);
        // The socket took all of a and 100 bytes of b.
        batch.buffers()[0].position(a.length());
        batch.buffers()[1].position(100);
        ByteBuffer[] rest = batch.rest(1);
        batch.clear();
        // The next player's write reuses and rewinds the view of b; the rest must not move with it.
        batch.add(b);
        drain(batch);
        assertEquals(1, rest.length);
        assertEquals(100, rest[0].position());
        byte[] left = new byte[rest[0].remaining()];
        rest[0].get(left);
        byte[] all = bytes(b);
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 100, all.length), left);
    }

    @Test
    void pastItsLimitOfViewsAPassStillSendsEveryByte() {
        EncodedMessage[] forms = new EncodedMessage[100];
        ByteBuffer expected = ByteBuffer.allocate(100 * 200);
        for (int i = 0; i < forms.length; i++) {
            forms[i] = shared(100 + i % 50, i);
            expected.put(bytes(forms[i]));
        }
        byte[] all = java.util.Arrays.copyOf(expected.array(), expected.position());
        WriteBatch batch = new WriteBatch(true);
        ByteBuffer[] firstViews = new ByteBuffer[forms.length];
        for (int player = 0; player < 3; player++) {
            for (EncodedMessage m : forms) {
                batch.add(m);
            }
            if (player == 0) {
                System.arraycopy(batch.buffers(), 0, firstViews, 0, forms.length);
            } else {
                assertSame(firstViews[0], batch.buffers()[0], "the first forms' views are kept");
                assertNotSame(firstViews[99], batch.buffers()[99], "past the limit a form gets a view per write");
            }
            assertArrayEquals(all, drain(batch), "player " + player);
            batch.clear();
        }
    }

    @Test
    void withoutReuseEveryAddIsAViewOfItsOwn() {
        EncodedMessage m = shared(50, 6);
        WriteBatch batch = new WriteBatch();
        batch.add(m);
        ByteBuffer first = batch.buffers()[0];
        batch.clear();
        batch.add(m);
        assertNotSame(first, batch.buffers()[0]);
    }

    @Test
    void forgottenViewsAreMadeAgain() {
        EncodedMessage m = shared(50, 7);
        WriteBatch batch = new WriteBatch(true);
        batch.add(m);
        ByteBuffer first = batch.buffers()[0];
        batch.clear();
        batch.forgetViews();
        batch.add(m);
        assertNotSame(first, batch.buffers()[0]);
        assertArrayEquals(bytes(m), drain(batch));
    }
}
