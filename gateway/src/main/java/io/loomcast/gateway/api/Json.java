package io.loomcast.gateway.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** JSON in and out of exchanges, through Jackson; bodies are bounded before they are read. */
final class Json {
    /** A route with many pushes is a few kilobytes; anything near this is not a request we want to parse. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void noContent(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(204, -1);
        ex.close();
    }

    /** The request body as text, refusing one over {@link #MAX_BODY_BYTES} before reading it whole. */
    static String body(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null && length.matches("\\d{1,12}") && Long.parseLong(length) > MAX_BODY_BYTES) {
            throw new ApiException(413, "the body is over " + MAX_BODY_BYTES + " bytes");
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new ApiException(413, "the body is over " + MAX_BODY_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * The body as a JSON object, kept as written (for the state file). The binder checks the same text
     * afterwards, with positions; this only refuses what is not a JSON object at all.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) {
        try {
            Object v = MAPPER.readValue(text, Object.class);
            if (v instanceof Map<?, ?> m) {
                return new LinkedHashMap<>((Map<String, Object>) m);
            }
            throw new ApiException(400, "the body must be a JSON object");
        } catch (JacksonException e) {
            throw new ApiException(400, "the body is not JSON: " + e.getOriginalMessage());
        }
    }
}
