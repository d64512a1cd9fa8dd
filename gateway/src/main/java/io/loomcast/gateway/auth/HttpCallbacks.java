package io.loomcast.gateway.auth;

import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one JDK HTTP client every auth callback goes through, made on first use and kept across reloads (each
 * client has a selector thread and a connection pool; one per config would leak them). Redirects are not
 * followed: a 3xx is the callback's answer. Its own tasks run on virtual threads.
 */
public final class HttpCallbacks implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();
    private HttpClient client;
    private ExecutorService executor;
    private boolean closed;

    /** The client; made on first call. */
    HttpClient client() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("auth callbacks are shut down");
            }
            if (client == null) {
                executor = Executors.newVirtualThreadPerTaskExecutor();
                client = HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .executor(executor)
                        .build();
            }
            return client;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (client != null) {
                client.shutdownNow();
                executor.shutdownNow();
            }
        } finally {
            lock.unlock();
        }
    }
}
