package io.loomcast.gateway.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a real destination that passes everything until the destination has answered
 * the publish (its NetStream.Publish.Start goes by), then stops reading from the client while keeping the
 * connection open: a destination that hangs mid-stream. Its small receive buffer makes the client's writes
 * block after a little media instead of after megabytes.
 */
final class FreezingProxy implements AutoCloseable {
    private static final byte[] MARK = "NetStream.Publish.Start".getBytes(StandardCharsets.US_ASCII);
    private static final int RECEIVE_BUFFER_BYTES = 8 * 1024;

    private final ServerSocket listener = new ServerSocket();
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger freezes = new AtomicInteger();

    FreezingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        // Set before bind, so accepted sockets advertise a small window from the start.
        listener.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        Thread.ofVirtual().name("freezing proxy").start(this::acceptForever);
    }

    private void acceptForever() {
        try {
            while (true) {
                Socket client = listener.accept();
                sockets.add(client);
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(server);
                Connection c = new Connection(client, server);
                Thread.ofVirtual().start(c::clientToServer);
                Thread.ofVirtual().start(c::serverToClient);
            }
        } catch (IOException closed) {
            // The test is over.
        }
    }

    /** One proxied connection; {@code frozen} stops the client-to-server copy. */
    private final class Connection {
        final Socket client;
        final Socket server;
        volatile boolean frozen;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void clientToServer() {
            byte[] buf = new byte[4096];
            try {
                InputStream in = client.getInputStream();
                OutputStream out = server.getOutputStream();
                while (!frozen) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // A side closed, or the server side went with the freeze.
            }
            if (!frozen) {
                closeBoth();
            }
            // Frozen: nobody reads the client any more and its socket stays open, so its writes pile up.
        }

        void serverToClient() {
            byte[] buf = new byte[4096];
            byte[] tail = new byte[0];
            try {
                InputStream in = server.getInputStream();
                OutputStream out = client.getOutputStream();
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    // Keep the last bytes of the previous read too: the mark may straddle two reads.
                    byte[] window = new byte[tail.length + n];
                    System.arraycopy(tail, 0, window, 0, tail.length);
                    System.arraycopy(buf, 0, window, tail.length, n);
                    if (contains(window, MARK)) {
                        frozen = true;
                        freezes.incrementAndGet();
                        // The real destination lets go of this publish, so the client's next attempt can
                        // publish the same name again; the client itself is left hanging.
                        server.close();
                        return;
                    }
                    tail = Arrays.copyOfRange(window, Math.max(0, window.length - MARK.length), window.length);
                }
            } catch (IOException e) {
                // A side closed.
            }
            if (!frozen) {
                closeBoth();
            }
        }

        void closeBoth() {
            try {
                client.close();
                server.close();
            } catch (IOException ignored) {
                // Closing either way.
            }
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Connections that got past the publish and then froze. */
    int freezes() {
        return freezes.get();
    }

    String url(String path) {
        return "rtmp://127.0.0.1:" + listener.getLocalPort() + "/" + path;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
