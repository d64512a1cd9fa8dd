package io.loomcast.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a loopback port in front of an RTMP server, for tests: it keeps the first bytes the server
 * sends on each connection (a capture of the handshake and the connect sequence, for any peer in front of
 * it), and it can cut every connection at once (a network failure, for a client that must reconnect).
 */
public final class TapProxy implements AutoCloseable {
    /** Enough for S0S1S2 and the answers to connect, createStream and play or publish. */
    private static final int CAPTURE_BYTES = 64 * 1024;

    private final ServerSocket listener = new ServerSocket();
    private final int targetPort;
    private final List<Tap> taps = new CopyOnWriteArrayList<>();

    /** One proxied connection: its sockets, and what the server sent on it first. */
    public static final class Tap {
        private final Socket client;
        private final Socket server;
        private final ByteArrayOutputStream fromServer = new ByteArrayOutputStream();

        Tap(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        /** The first bytes the server sent on this connection, up to 64 KiB. */
        public byte[] fromServer() {
            synchronized (fromServer) {
                return fromServer.toByteArray();
            }
        }

        void capture(byte[] b, int n) {
            synchronized (fromServer) {
                int room = CAPTURE_BYTES - fromServer.size();
                if (room > 0) {
                    fromServer.write(b, 0, Math.min(room, n));
                }
            }
        }

        void cut() {
            for (Socket s : new Socket[] {client, server}) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // Closing is all we want; a socket that fails to close is gone anyway.
                }
            }
        }
    }

    public TapProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        Thread.ofVirtual().name("tap proxy").start(this::acceptForever);
    }

    private void acceptForever() {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket server;
                try {
                    server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException refused) {
                    client.close();
                    continue;
                }
                Tap tap = new Tap(client, server);
                taps.add(tap);
                Thread.ofVirtual().start(() -> copy(client, server, null, tap));
                Thread.ofVirtual().start(() -> copy(server, client, tap, tap));
            }
        } catch (IOException closed) {
            // The test is over.
        }
    }

    private static void copy(Socket from, Socket to, Tap capture, Tap tap) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (capture != null) {
                    capture.capture(buf, n);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // One side went away: the connection is over.
        } finally {
            tap.cut();
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code rtmp://127.0.0.1:PORT/path} through the proxy. */
    public String url(String path) {
        return "rtmp://127.0.0.1:" + port() + "/" + path;
    }

    /** The connections so far, in the order accepted. */
    public List<Tap> taps() {
        return List.copyOf(taps);
    }

    /** Drops every connection now, as a network failure would. */
    public void cutAll() {
        taps.forEach(Tap::cut);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutAll();
    }
}
