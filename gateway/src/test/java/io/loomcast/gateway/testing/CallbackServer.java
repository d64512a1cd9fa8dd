package io.loomcast.gateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A small HTTP server standing in for an auth backend (nginx-rtmp's on_publish/on_play): each path answers
 * with a fixed status, an optional Location and an optional delay, and every POST's form fields are kept so a
 * test can see what the gateway sent. Loopback, ephemeral port, one virtual thread per exchange.
 */
public final class CallbackServer extends Observed<CallbackServer> implements AutoCloseable {
    /** How one path answers. */
    public record Answer(int status, String location, Duration delay) {
        public static Answer status(int status) {
            return new Answer(status, null, Duration.ZERO);
        }

        public static Answer redirect(String location) {
            return new Answer(302, location, Duration.ZERO);
        }

        public static Answer after(Duration delay, int status) {
            return new Answer(status, null, delay);
        }
    }

    /** One request as received: its path and its decoded form fields, in order. */
    public record Call(String path, Map<String, String> form) {}

    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();

    private CallbackServer(Map<String, Answer> answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        answers.forEach((path, answer) -> server.createContext(path, exchange -> answer(exchange, answer)));
        server.start();
    }

    /** Serves {@code answers}, by path ({@code /allow}, ...). */
    public static CallbackServer start(Map<String, Answer> answers) throws IOException {
        return new CallbackServer(answers);
    }

    private void answer(HttpExchange exchange, Answer answer) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        update(() -> calls.add(new Call(exchange.getRequestURI().getPath(), form)));
        try {
            Thread.sleep(answer.delay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (answer.location() != null) {
            exchange.getResponseHeaders().add("Location", answer.location());
        }
        exchange.sendResponseHeaders(answer.status(), -1);
        exchange.close();
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<Call> calls() {
        return read(() -> List.copyOf(calls));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
