package io.loomcast.gateway.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.loomcast.gateway.config.ApiConfig;
import io.loomcast.gateway.config.ConfigException;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.hub.Stream;
import io.loomcast.gateway.transcode.Thumbnails;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listener of {@code api.listen}: the JDK's {@code com.sun.net.httpserver}, one virtual thread per
 * exchange (docs/api.md says why this server). Routes {@code /api/v1/...} (bearer token when {@code api.token}
 * is set), {@code /healthz}, {@code /readyz}, {@code /metrics} and the dashboard at {@code /}. Every error is
 * {@code {"error": ..., "details": [...]}}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final String API = "/api/v1/";
    private static final String RESOURCES = "io/loomcast/gateway/api/";
    private static final int MAX_KICK_MESSAGE_CHARS = 200;

    private final GatewayControl gateway;
    private final ControlPlane control;
    private final Optional<byte[]> token;
    private final RateMeter rates;
    private final StreamSnapshots snapshots;
    private final ThumbnailCache thumbnails;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final MetricsHandler metrics;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private HttpServer server;
    private volatile boolean draining;

    public ApiServer(ApiConfig config, GatewayControl gateway, ControlPlane control) {
        this.gateway = gateway;
        this.control = control;
        this.token = config.token().map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.rates = new RateMeter(gateway);
        this.snapshots = new StreamSnapshots(gateway, rates);
        this.thumbnails = new ThumbnailCache(new Thumbnails(gateway.config().transcode().nativeCacheDir()));
        JvmMetrics.builder().register(registry); // JVM and process: memory, GC, threads, CPU, open files
        registry.register(new GatewayMetrics(gateway, rates));
        this.metrics = new MetricsHandler(registry);
    }

    /** Binds and serves; returns the bound address (port 0 binds an ephemeral one). */
    public InetSocketAddress start(InetSocketAddress bind) throws IOException {
        // Serialize one answer before the first request does: the mapper's first use loads and links Jackson,
        // which on a busy machine can take longer than a health check waits (gateway health: 2 s).
        Json.MAPPER.writeValueAsBytes(readiness());
        server = HttpServer.create(bind, 128);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        InetSocketAddress bound = server.getAddress();
        log.info("API listening on http://{}:{}/ ({})", bound.getAddress().getHostAddress(), bound.getPort(),
                token.isPresent() ? "bearer token required for /api/" : "no token");
        return bound;
    }

    /** The gateway is shutting down: /readyz says so from now on. */
    public void draining() {
        draining = true;
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        try {
            if (path.equals("/metrics")) {
                metrics.handle(ex);
                return;
            }
            route(ex, path, ex.getRequestMethod());
        } catch (ApiException e) {
            sendError(ex, e);
        } catch (RuntimeException e) {
            log.error("API: {} {} failed", ex.getRequestMethod(), path, e);
            sendError(ex, new ApiException(500, "internal error: " + e.getClass().getSimpleName()));
        } finally {
            ex.close();
        }
    }

    private static void sendError(HttpExchange ex, ApiException e) throws IOException {
        if (e.status() == 401) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"loomcast\"");
        }
        Json.send(ex, e.status(), e.body());
    }

    private void route(HttpExchange ex, String path, String method) throws IOException {
        switch (path) {
            case "/", "/index.html" -> staticFile(ex, method, "dashboard/index.html", "text/html; charset=utf-8");
            case "/dashboard.js" -> staticFile(ex, method, "dashboard/dashboard.js", "text/javascript; charset=utf-8");
            case "/dashboard.css" -> staticFile(ex, method, "dashboard/dashboard.css", "text/css; charset=utf-8");
            case "/healthz" -> {
                allow(method, "GET");
                Json.send(ex, 200, new Views.Health("ok"));
            }
            case "/readyz" -> {
                allow(method, "GET");
                Views.Ready r = readiness();
                Json.send(ex, r.ready() ? 200 : 503, r);
            }
            case "/api/v1/openapi.json" -> staticFile(ex, method, "openapi.json", "application/json");
            default -> {
                if (!path.startsWith(API)) {
                    throw ApiException.notFound("no such path: " + path);
                }
                authorize(ex);
                api(ex, path.substring(API.length()), method);
            }
        }
    }

    Views.Ready readiness() {
        boolean listening = gateway.rtmp().listening();
        boolean loaded = gateway.config() != null;
        boolean natives = gateway.nativesReady();
        return new Views.Ready(!draining && listening && loaded && natives, listening, loaded, natives);
    }

    /** A bearer token in constant time; without {@code api.token} the API is open (loopback, or insecure). */
    private void authorize(HttpExchange ex) {
        if (token.isEmpty()) {
            return;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        byte[] given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token.get())) {
            throw new ApiException(401, header == null ? "a bearer token is required" : "the bearer token is wrong");
        }
    }

    private void api(HttpExchange ex, String rest, String method) throws IOException {
        List<String> p = segments(rest);
        String first = p.isEmpty() ? "" : p.getFirst();
        switch (first) {
            case "streams" -> streams(ex, rest.substring("streams".length()), method);
            case "sessions" -> {
                if (p.size() == 1) {
                    allow(method, "GET");
                    Json.send(ex, 200, new Views.Sessions(snapshots.sessions()));
                } else if (p.size() == 2) {
                    allow(method, "DELETE");
                    kick(ex, p.get(1));
                } else {
                    throw ApiException.notFound("no such path: " + API + rest);
                }
            }
            case "routes" -> routes(ex, p, method);
            case "reload" -> {
                allow(method, "POST");
                reload(ex);
            }
            default -> throw ApiException.notFound("no such path: " + API + rest);
        }
    }

    /** {@code /streams}, {@code /streams/{app}/{name}}, {@code /streams/{app}/{name}/thumbnail.jpg}; names may hold '/'. */
    private void streams(HttpExchange ex, String rest, String method) throws IOException {
        allow(method, "GET");
        if (rest.isEmpty() || rest.equals("/")) {
            Json.send(ex, 200, new Views.Streams(snapshots.all()));
            return;
        }
        String name = decode(rest.substring(1));
        boolean thumbnail = name.endsWith("/thumbnail.jpg");
        if (thumbnail) {
            name = name.substring(0, name.length() - "/thumbnail.jpg".length());
            Stream s = gateway.hub().find(name).orElseThrow(() -> ApiException.notFound("no stream " + rest.substring(1)));
            thumbnails.retain(gateway.hub().streams().stream().map(Stream::name).collect(
                    java.util.stream.Collectors.toSet()));
            byte[] jpeg = thumbnails.jpeg(s);
            ex.getResponseHeaders().set("Content-Type", "image/jpeg");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, jpeg.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(jpeg);
            }
            return;
        }
        String wanted = name;
        Json.send(ex, 200, snapshots.one(wanted).orElseThrow(() -> ApiException.notFound("no stream " + wanted)));
    }

    private void routes(HttpExchange ex, List<String> p, String method) throws IOException {
        switch (p.size()) {
            case 1 -> {
                allow(method, "GET", "POST");
                if (method.equals("GET")) {
                    Json.send(ex, 200, new Views.Routes(control.routes()));
                } else {
                    Json.send(ex, 201, control.addRoute(Json.body(ex)));
                }
            }
            case 2 -> {
                allow(method, "GET", "DELETE");
                if (method.equals("GET")) {
                    Json.send(ex, 200, control.route(p.get(1)));
                } else {
                    control.removeRoute(p.get(1));
                    Json.noContent(ex);
                }
            }
            case 3 -> {
                if (!p.get(2).equals("pushes")) {
                    throw ApiException.notFound("no such path: " + String.join("/", p));
                }
                allow(method, "GET", "POST");
                if (method.equals("GET")) {
                    Json.send(ex, 200, control.route(p.get(1)).pushes());
                } else {
                    Json.send(ex, 201, control.addPush(p.get(1), Json.body(ex)));
                }
            }
            case 4 -> {
                if (!p.get(2).equals("pushes")) {
                    throw ApiException.notFound("no such path: " + String.join("/", p));
                }
                allow(method, "PATCH", "DELETE");
                if (method.equals("PATCH")) {
                    Json.send(ex, 200, control.setEnabled(p.get(1), p.get(3), Json.body(ex)));
                } else {
                    control.removePush(p.get(1), p.get(3));
                    Json.noContent(ex);
                }
            }
            default -> throw ApiException.notFound("no such path: " + String.join("/", p));
        }
    }

    private void kick(HttpExchange ex, String id) throws IOException {
        String body = Json.body(ex);
        String message = "kicked by the operator";
        if (!body.isBlank()) {
            Map<String, Object> m = Json.object(body);
            for (String key : m.keySet()) {
                if (!key.equals("message")) {
                    throw new ApiException(400, "the body does not validate",
                            List.of(ConfigLoader.REQUEST + ": " + key + ": unknown key; known: message"));
                }
            }
            if (m.get("message") instanceof String s && !s.isBlank() && s.length() <= MAX_KICK_MESSAGE_CHARS) {
                message = s.strip();
            } else if (m.containsKey("message")) {
                throw new ApiException(400, "the body does not validate", List.of(ConfigLoader.REQUEST
                        + ": message: a text of 1 to " + MAX_KICK_MESSAGE_CHARS + " characters"));
            }
        }
        if (!gateway.rtmp().kick(id, message)) {
            throw ApiException.notFound("no session " + id);
        }
        Json.noContent(ex);
    }

    private void reload(HttpExchange ex) throws IOException {
        try {
            GatewayConfig c = control.reload();
            log.info("reloaded (API request)");
            Json.send(ex, 200, new Views.Reloaded(true, c.routes().size()));
        } catch (ConfigException e) {
            throw ApiException.invalid("the config does not validate; the running one stays", e);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "the config cannot run; the running one stays: " + e.getMessage());
        }
    }

    private void staticFile(HttpExchange ex, String method, String resource, String type) throws IOException {
        allow(method, "GET");
        byte[] bytes;
        try (InputStream in = ApiServer.class.getClassLoader().getResourceAsStream(RESOURCES + resource)) {
            if (in == null) {
                throw ApiException.notFound("missing resource " + resource);
            }
            bytes = in.readAllBytes();
        }
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        // Everything the page uses comes from here; thumbnails are blob: URLs made from fetched JPEGs.
        ex.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'self'; img-src 'self' blob:; style-src 'self'; script-src 'self'");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new ApiException(405, method + " is not allowed here; allowed: " + String.join(", ", allowed));
    }

    private static List<String> segments(String rest) {
        return java.util.Arrays.stream(rest.split("/")).filter(s -> !s.isEmpty()).map(ApiServer::decode).toList();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad percent-encoding in the path");
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
        rates.close();
        thumbnails.close();
    }
}
