package io.loomcast.gateway.testing;

import io.loomcast.gateway.protocol.chunk.ChunkLimits;
import io.loomcast.gateway.protocol.chunk.ChunkReader;
import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.handshake.Handshake;
import io.loomcast.gateway.protocol.handshake.HandshakeMode;
import io.loomcast.gateway.protocol.handshake.HandshakeOptions;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.MessageCodec;
import io.loomcast.gateway.protocol.message.SetChunkSize;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A TCP connection to the server that says exactly what a test makes it say: raw bytes, a handshake, chunks
 * from our own writer with any header values. For bad-input tests: send something wrong, then see whether
 * and how soon the server hangs up.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final ChunkWriter chunks = new ChunkWriter();
    private ChunkReader reader;

    private RawConnection(Socket socket) {
        this.socket = socket;
    }

    public static RawConnection open(InetSocketAddress server) throws IOException {
        return open(server, 0);
    }

    /** {@code receiveBufferBytes} &gt; 0 sets SO_RCVBUF before connecting, so the TCP window stays that small. */
    public static RawConnection open(InetSocketAddress server, int receiveBufferBytes) throws IOException {
        return open(server, null, receiveBufferBytes);
    }

    /**
     * As {@link #open(InetSocketAddress, int)}, from {@code from} (another loopback address such as 127.0.0.2,
     * which Linux routes to lo without setup), or from any address when null.
     */
    public static RawConnection open(InetSocketAddress server, java.net.InetAddress from, int receiveBufferBytes)
            throws IOException {
        Socket socket = new Socket();
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(server, 5_000);
        socket.setTcpNoDelay(true);
        return new RawConnection(socket);
    }

    /** The socket's input, for a test that reads the bytes itself. */
    public InputStream input() throws IOException {
        return socket.getInputStream();
    }

    /** The local port: the server logs it as this connection's remote address. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** A simple handshake as a client; the server's S0S1S2 is read and checked. */
    public RawConnection handshake() throws IOException {
        Handshake.client(socket.getInputStream(), socket.getOutputStream(), HandshakeMode.simple(),
                HandshakeOptions.defaults(), socket::setSoTimeout);
        socket.setSoTimeout(0);
        return this;
    }

    public RawConnection write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Chunks {@code message} with this connection's writer (128-byte chunks unless changed) and sends it. */
    public RawConnection send(RawMessage message) throws IOException {
        return write(chunks.encode(message));
    }

    /** Encodes {@code message} as its type says and sends it. */
    public RawConnection send(Message message) throws IOException {
        return send(MessageCodec.encode(message));
    }

    /**
     * Reads what the server sends until an onStatus with {@code code} arrives, applying its Set Chunk Size on
     * the way; what comes before is discarded. Fails with a timeout if the status does not come in time.
     */
    public RawConnection awaitStatus(String code, Duration timeout) throws IOException {
        if (reader == null) {
            reader = new ChunkReader(socket.getInputStream(), ChunkLimits.DEFAULT);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            Message m = MessageCodec.decode(reader.read());
            if (m instanceof SetChunkSize s) {
                reader.chunkSize(s.sizeBytes());
            } else if (m instanceof CommandMessage c && c.name().equals(CommandMessage.ON_STATUS)
                    && c.infoField("code").filter(code::equals).isPresent()) {
                socket.setSoTimeout(0);
                return this;
            }
        }
    }

    /**
     * Waits for the server to close the connection: reads and discards whatever it sends until end of stream
     * or a reset. Returns false if the connection is still open at the deadline.
     */
    public boolean awaitClosedByServer(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        InputStream in = socket.getInputStream();
        byte[] sink = new byte[16 * 1024];
        while (true) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return false;
            }
            socket.setSoTimeout((int) leftMillis);
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
    }

    /** Closes with a reset instead of a FIN (SO_LINGER 0), as a kernel does when unread bytes remain. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
