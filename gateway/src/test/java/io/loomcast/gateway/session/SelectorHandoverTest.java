package io.loomcast.gateway.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * When a selector takes over reading a client ({@link RtmpClient#nonBlocking()}), the bytes its read buffer
 * holds go to the chunk reader first, and nothing more is read from the socket on the way: bytes pulled in
 * then would be stranded in the buffer, and the chunk stream would lose its place. Under load that happened to
 * about one bench player in a few hundred.
 */
class SelectorHandoverTest {

    /**
     * A socket stand-in: its first read gives {@code firstRead} bytes, later ones whatever it has (more arrived);
     * {@code available()} reports {@code reported} bytes.
     */
    private static final class Source extends InputStream {
        private final ByteArrayInputStream bytes;
        private final int firstRead;
        private final int reported;
        int reads;

        Source(byte[] data, int firstRead, int reported) {
            this.bytes = new ByteArrayInputStream(data);
            this.firstRead = firstRead;
            this.reported = reported;
        }

        @Override
        public int read() {
            reads++;
            return bytes.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            reads++;
            return bytes.read(b, off, reads == 1 ? Math.min(len, firstRead) : len);
        }

        @Override
        public int available() {
            return reported;
        }
    }

    @Test
    void takesWhatTheBufferHoldsAndReadsNothingMore() throws IOException {
        byte[] first = new byte[100];
        Arrays.fill(first, (byte) 1);
        byte[] data = new byte[300];
        System.arraycopy(first, 0, data, 0, 100);
        Arrays.fill(data, 100, 300, (byte) 2);
        // The buffer reads the first 100 bytes in one go (the source gives that much), the client takes 40 of them.
        Source source = new Source(data, 100, 50);
        RtmpClient.ReadBuffer buffer = new RtmpClient.ReadBuffer(source, 64 * 1024);
        assertEquals(40, buffer.readNBytes(40).length);
        int readsBefore = source.reads;

        // The socket says 50 more bytes are there, and by the time they are read 200 are.
        byte[] handed = RtmpClient.takeBuffered(buffer, buffer);

        assertArrayEquals(Arrays.copyOfRange(data, 40, 100), handed, "exactly the 60 buffered bytes");
        assertEquals(readsBefore, source.reads, "the socket is not read on the way");
        assertEquals(0, buffer.buffered(), "nothing left behind in the buffer");
    }
}
