package io.loomcast.gateway.session;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One TCP connection: the socket, its counted input, and the first reason it was closed for. Every timeout
 * (handshake, idle, stalled write) is enforced by the {@link Watchdog} closing the socket; the blocked
 * thread then fails and the session reports {@link #closeReason()}, so the protocol code never sees a
 * timeout in the middle of a unit.
 */
public final class Connection implements AutoCloseable {
    private final long id;
    private final SocketChannel channel;
    private final String remote;
    private final AtomicReference<String> closeReason = new AtomicReference<>();
    private final InputStream in;

    private volatile long lastReadNanos = System.nanoTime();
    private volatile long bytesRead;
    private volatile long bytesWritten;
    /** Nanos when the current write began, 0 when no write is in progress. */
    private volatile long writeStartedNanos;

    public Connection(long id, SocketChannel channel) throws IOException {
        this.id = id;
        this.channel = channel;
        this.remote = channel.getRemoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() + ":" + a.getPort() : String.valueOf(channel.getRemoteAddress());
        // Not Channels.newInputStream: on JDK 21 its read holds a monitor, which pins a virtual thread's
        // carrier for as long as the read blocks. The socket adaptor's stream uses a ReentrantLock.
        InputStream raw = channel.socket().getInputStream();
        this.in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = raw.read(b, off, len);
                if (n > 0) {
                    bytesRead += n;
                    lastReadNanos = System.nanoTime();
                }
                return n;
            }
        };
    }

    /** A short id for logs: {@code c42}. */
    public String name() {
        return "c" + id;
    }

    public String remote() {
        return remote;
    }

    /** The socket's bytes, counting what is read and when. */
    public InputStream input() {
        return in;
    }

    /** The raw output stream, for the handshake only: after it, everything goes through {@link #write}. */
    public java.io.OutputStream handshakeOutput() throws IOException {
        return channel.socket().getOutputStream();
    }

    /** Arms the socket read timeout (0: none); the handshake driver uses it for its deadline. */
    public void readTimeoutMillis(int millis) throws IOException {
        channel.socket().setSoTimeout(millis);
    }

    /** Writes every byte of {@code buffers}; the watchdog closes the socket if the peer stops reading. */
    public void write(ByteBuffer[] buffers) throws IOException {
        write(buffers, buffers.length);
    }

    /** Writes every byte of the first {@code count} buffers. */
    public void write(ByteBuffer[] buffers, int count) throws IOException {
        long remaining = 0;
        for (int i = 0; i < count; i++) {
            remaining += buffers[i].remaining();
        }
        writeStartedNanos = System.nanoTime();
        try {
            int first = 0;
            while (remaining > 0) {
                long n = channel.write(buffers, first, count - first);
                remaining -= n;
                bytesWritten += n;
                while (first < count && !buffers[first].hasRemaining()) {
                    first++;
                }
                if (n > 0 && remaining > 0) {
                    writeStartedNanos = System.nanoTime();
                }
            }
        } finally {
            writeStartedNanos = 0;
        }
    }

    public long lastReadNanos() {
        return lastReadNanos;
    }

    public long writeStartedNanos() {
        return writeStartedNanos;
    }

    public long bytesRead() {
        return bytesRead;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the socket; the first reason given is the one reported. */
    public void close(String reason) {
        closeReason.compareAndSet(null, reason);
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is best effort; the reason is already recorded.
        }
    }

    @Override
    public void close() {
        close("closed");
    }

    /**
     * Ends the connection from our side but lets what is queued go out: reading stops (the session sees the end
     * of input and closes after flushing its writer), with {@code reason} as the reason reported.
     */
    public void closeAfterFlush(String reason) {
        closeReason.compareAndSet(null, reason);
        try {
            channel.shutdownInput();
        } catch (IOException e) {
            close(reason);
        }
    }

    /** Why the connection was closed by us, or null if it was not (the peer closed, or it is open). */
    public String closeReason() {
        return closeReason.get();
    }
}
