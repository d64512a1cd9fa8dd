package io.loomcast.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code gateway health URL} against a JDK HttpServer standing in for the gateway's /readyz (the API package
 * serves the real one): 2xx exits 0; another status, a silent server or nobody listening exits 1.
 */
class HealthCommandTest {
    private record Result(int code, String out) {}

    private static Result health(String... args) {
        StringWriter out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        String[] all = new String[args.length + 1];
        all[0] = "health";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Result(cli.execute(all), out.toString());
    }

    @Test
    void readyIsZeroAndAnythingElseIsOne() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        AtomicReference<String> path = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            path.set(exchange.getRequestURI().getPath());
            byte[] body = (status.get() == 200 ? "ready" : "natives loading").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/readyz";
            Result ready = health(url);
            assertEquals(0, ready.code(), ready.out());
            assertEquals("/readyz", path.get());
            assertTrue(ready.out().startsWith("ready: 200"), ready.out());

            status.set(503);
            Result notReady = health(url);
            assertEquals(HealthCommand.NOT_READY, notReady.code(), notReady.out());
            assertTrue(notReady.out().contains("not ready: 503 natives loading"), notReady.out());

            status.set(301);
            assertEquals(HealthCommand.NOT_READY, health(url).code(), "a redirect is not ready");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void nobodyListeningOrNoAnswerInTimeIsOne() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Result refused = health("http://127.0.0.1:" + closedPort + "/readyz");
        assertEquals(HealthCommand.NOT_READY, refused.code(), refused.out());
        assertTrue(refused.out().startsWith("not ready: no answer"), refused.out());

        // Accepts, never answers: the timeout ends the check.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long started = System.nanoTime();
            Result timedOut = health("http://127.0.0.1:" + silent.getLocalPort() + "/readyz", "--timeout", "500ms");
            assertEquals(HealthCommand.NOT_READY, timedOut.code(), timedOut.out());
            assertTrue(System.nanoTime() - started < 10_000_000_000L, "bounded by --timeout");
        }
    }

    @Test
    void theDefaultUrlIsTheApisDefaultReadyz() {
        assertEquals("http://127.0.0.1:8080/readyz", HealthCommand.DEFAULT_URL);
        assertEquals(2, health("ftp://x/readyz").code(), "not http: a usage error");
    }
}
