package io.loomcast.gateway.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The API as the tests call it: every response is held to the OpenAPI document before the test sees it. */
final class ApiClient {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    /** One answer: status, content type, the body as text and, when it is JSON, parsed. */
    record Response(int status, String contentType, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return MAPPER.readTree(text());
        }

        @Override
        public String toString() {
            return status + " " + (contentType != null && contentType.startsWith("image/") ? contentType : text());
        }
    }

    /** @param token the bearer token to send, or null for none */
    ApiClient(String base, String token) {
        this.base = base;
        this.token = token;
    }

    ApiClient withToken(String other) {
        return new ApiClient(base, other);
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    Response post(String path, String json) {
        return send("POST", path, json);
    }

    Response patch(String path, String json) {
        return send("PATCH", path, json);
    }

    Response delete(String path) {
        return send("DELETE", path, null);
    }

    Response delete(String path, String json) {
        return send("DELETE", path, json);
    }

    /** GET with an Accept header (OpenMetrics from /metrics). */
    Response get(String path, String accept) {
        return send("GET", path, null, accept);
    }

    Response send(String method, String path, String json) {
        return send(method, path, json, null);
    }

    private Response send(String method, String path, String json, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String type = r.headers().firstValue("Content-Type").orElse(null);
        Response out = new Response(r.statusCode(), type, r.body());
        String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        OpenApiDoc doc = OpenApiDoc.get();
        if (!pathOnly.equals("/") && !pathOnly.startsWith("/dashboard")) {
            doc.check(method, pathOnly, out.status(), type, out.status() == 204 ? "" : out.text());
        }
        return out;
    }
}
