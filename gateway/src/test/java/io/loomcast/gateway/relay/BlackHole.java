package io.loomcast.gateway.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A destination that accepts TCP connections and holds them open without ever reading or writing a byte. */
final class BlackHole implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    BlackHole() throws IOException {
        Thread.ofVirtual().name("black hole").start(this::acceptForever);
    }

    private void acceptForever() {
        try {
            while (true) {
                accepted.add(listener.accept());
            }
        } catch (IOException closed) {
            // The test is over.
        }
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.size();
    }

    String url(String path) {
        return "rtmp://127.0.0.1:" + listener.getLocalPort() + "/" + path;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
