package io.loomcast.gateway.session;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One TCP connection, plain or TLS: the socket, its counted input, and the first reason it was closed for.
 * Every timeout (handshake, idle, stalled write) is enforced by the {@link Watchdog} closing the socket; the
 * blocked thread then fails and the session reports {@link #closeReason()}, so the protocol code never sees a
 * timeout in the middle of a unit.
 *
 * <p>A TLS connection runs the JDK's {@link SSLSocket} over the accepted channel's socket. Its handshake starts
 * in {@link #startTls()}, on the session's thread and under the session's handshake deadline; closing always
 * closes the channel underneath, so a watchdog close ends a blocked TLS read or write as it ends a plain one.
 */
public final class Connection implements AutoCloseable {
    /** One TLS record's worth: gathered writes go out in full records, not one record per small buffer. */
    private static final int TLS_WRITE_BUFFER_BYTES = 16 * 1024;

    private final long id;
    private final SocketChannel channel;
    private final SSLSocket tls;
    private final OutputStream tlsOut;
    private final InetAddress peer;
    private final String remote;
    private final AtomicReference<String> closeReason = new AtomicReference<>();
    private final InputStream in;

    private volatile long lastReadNanos = System.nanoTime();
    private volatile long bytesRead;
    private volatile long bytesWritten;
    /** How long a write waits for the selector's word that a full socket has room, before it tries again. */
    private static final long ROOM_WAIT_NANOS = 20_000_000;
    /** How a write waits out a full socket: the selector's word once one reads this connection, else polling. */
    private volatile GatheringWrite.Room room = GatheringWrite.Room.POLL;
    /** Nanos when the current write began, 0 when no write is in progress. */
    private volatile long writeStartedNanos;
    /**
     * A plain write's progress: counted, and while more is to go the watchdog's clock restarts, for a slow peer is
     * not a dead one. A write that goes out whole (nearly all of them) reads no clock.
     */
    private final GatheringWrite.Progress progress = (written, remaining) -> {
        bytesWritten += written;
        if (remaining > 0) {
            writeStartedNanos = System.nanoTime();
        }
    };

    /** A plain RTMP connection. */
    public Connection(long id, SocketChannel channel) throws IOException {
        this(id, channel, null);
    }

    /** An RTMPS connection with {@code tls}'s certificate, or a plain one when {@code tls} is null. */
    public Connection(long id, SocketChannel channel, SSLContext tls) throws IOException {
        this.id = id;
        this.channel = channel;
        InetSocketAddress address = channel.getRemoteAddress() instanceof InetSocketAddress a ? a : null;
        this.peer = address != null ? address.getAddress() : InetAddress.getLoopbackAddress();
        this.remote = address != null ? address.getAddress().getHostAddress() + ":" + address.getPort()
                : String.valueOf(channel.getRemoteAddress());
        this.tls = tls == null ? null : ServerTls.serverSocket(tls, channel.socket());
        this.tlsOut = this.tls == null ? null
                : new BufferedOutputStream(this.tls.getOutputStream(), TLS_WRITE_BUFFER_BYTES);
        // Not Channels.newInputStream: on JDK 21 its read holds a monitor, which pins a virtual thread's
        // carrier for as long as the read blocks. The socket adaptor's stream uses a ReentrantLock.
        InputStream raw = this.tls != null ? this.tls.getInputStream() : channel.socket().getInputStream();
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

    /** The peer's address, for the address rules and the per-address count. */
    public InetAddress peerAddress() {
        return peer;
    }

    /** Whether this is an RTMPS connection. */
    public boolean isTls() {
        return tls != null;
    }

    /** Runs the TLS handshake, if this is a TLS connection; the caller's deadline covers it. */
    public void startTls() throws IOException {
        if (tls != null) {
            tls.startHandshake();
        }
    }

    /** The negotiated TLS protocol ({@code TLSv1.3}), or empty for plain RTMP or before the handshake. */
    public String tlsProtocol() {
        return tls == null || tls.getSession() == null ? "" : tls.getSession().getProtocol();
    }

    /** The socket's bytes (decrypted, for TLS), counting what is read and when. */
    public InputStream input() {
        return in;
    }

    /**
     * Turns a plain connection non-blocking, for a selector thread to read from now on ({@link #readSome}).
     * The caller must have no read in progress and read nothing more through {@link #input()}. Writes keep
     * working: a full socket is waited out a millisecond at a time, under the write timeout's watch.
     */
    public SocketChannel nonBlocking() throws IOException {
        if (tls != null) {
            throw new IllegalStateException("a TLS connection cannot be read by a selector");
        }
        channel.configureBlocking(false);
        return channel;
    }

    /** Reads what the (non-blocking) socket has into {@code dst}, counting it; -1 at its end. */
    public int readSome(ByteBuffer dst) throws IOException {
        int n = channel.read(dst);
        if (n > 0) {
            bytesRead += n;
            lastReadNanos = System.nanoTime();
        }
        return n;
    }

    /**
     * From now on a full socket is waited out by {@code room}'s selector, which wakes the writer when the peer has
     * read; null goes back to polling. Only after {@link #nonBlocking()}.
     */
    public void writeRoom(SelectorReads.Handle room) {
        this.room = room == null ? GatheringWrite.Room.POLL : () -> room.awaitWritable(ROOM_WAIT_NANOS);
    }

    /** Whether {@link #tryWrite} may be used: a plain connection a selector reads, whose writes never wait. */
    public boolean writesWithoutWaiting() {
        return tls == null && !channel.isBlocking();
    }

    /**
     * Writes what the socket takes now of {@code buffers[0, count)}, never waiting, and returns the index of the
     * first buffer with bytes left ({@code count} when all went out). Only when {@link #writesWithoutWaiting()}.
     */
    public int tryWrite(ByteBuffer[] buffers, int count) throws IOException {
        int first = 0;
        while (first < count) {
            long n = channel.write(buffers, first, count - first);
            if (n > 0) {
                bytesWritten += n;
            }
            while (first < count && !buffers[first].hasRemaining()) {
                first++;
            }
            if (n <= 0) {
                break;
            }
        }
        return first;
    }

    /** The raw output stream, for the handshake only: after it, everything goes through {@link #write}. */
    public OutputStream handshakeOutput() throws IOException {
        return tls != null ? tls.getOutputStream() : channel.socket().getOutputStream();
    }

    /** Arms the socket read timeout (0: none); the handshake driver uses it for its deadline. */
    public void readTimeoutMillis(int millis) throws IOException {
        if (tls != null) {
            tls.setSoTimeout(millis);
        } else {
            channel.socket().setSoTimeout(millis);
        }
    }

    /** Writes every byte of {@code buffers}; the watchdog closes the socket if the peer stops reading. */
    public void write(ByteBuffer[] buffers) throws IOException {
        write(buffers, buffers.length);
    }

    /** Writes every byte of the first {@code count} buffers. */
    public void write(ByteBuffer[] buffers, int count) throws IOException {
        writeStartedNanos = System.nanoTime();
        try {
            if (tls != null) {
                writeTls(buffers, count);
                return;
            }
            // Only a non-blocking socket (a publisher read by a selector) can take nothing: it is full.
            GatheringWrite.writeFully(channel, buffers, 0, count, progress, room);
        } finally {
            writeStartedNanos = 0;
        }
    }

    /**
     * TLS has no gathering write: the buffers pass through a record-sized buffer, then one flush. Large ones go
     * a record at a time, so the watchdog sees progress while a slow but live peer reads a big keyframe.
     */
    private void writeTls(ByteBuffer[] buffers, int count) throws IOException {
        byte[] scratch = null;
        for (int i = 0; i < count; i++) {
            ByteBuffer b = buffers[i];
            while (b.hasRemaining()) {
                int n = Math.min(b.remaining(), TLS_WRITE_BUFFER_BYTES);
                if (b.hasArray()) {
                    tlsOut.write(b.array(), b.arrayOffset() + b.position(), n);
                    b.position(b.position() + n);
                } else {
                    scratch = scratch != null ? scratch : new byte[TLS_WRITE_BUFFER_BYTES];
                    b.get(scratch, 0, n);
                    tlsOut.write(scratch, 0, n);
                }
                bytesWritten += n;
                writeStartedNanos = System.nanoTime();
            }
        }
        tlsOut.flush();
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

    /**
     * Closes the socket; the first reason given is the one reported. For TLS the channel underneath is closed
     * without a close_notify: sending one could block on a peer that does not read, and this may run on the
     * watchdog's thread.
     */
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
