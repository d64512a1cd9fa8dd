package io.loomcast.gateway.auth;

import io.loomcast.gateway.config.CallbackConfig;
import io.loomcast.gateway.config.Redaction;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks an HTTP endpoint, the way nginx-rtmp's {@code on_publish} and {@code on_play} do: a POST of form fields
 * {@code call}, {@code addr}, {@code app}, {@code name}, {@code tcurl}, {@code pageurl}, {@code swfurl},
 * {@code flashver}, then every query argument. A 2xx allows; a 3xx with {@code Location} allows under the name
 * it gives; anything else refuses, and so does no answer within the timeout (fail closed). The call blocks
 * the asking session's virtual thread only.
 */
public final class CallbackCheck implements Check {
    private static final Logger log = LoggerFactory.getLogger(CallbackCheck.class);

    private final CallbackConfig config;
    private final HttpCallbacks http;

    public CallbackCheck(CallbackConfig config, HttpCallbacks http) {
        this.config = config;
        this.http = http;
    }

    @Override
    public Verdict check(AuthRequest request) {
        HttpRequest post = HttpRequest.newBuilder(config.url())
                .timeout(config.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(request)))
                .build();
        // ofInputStream completes when the headers are in: the answer is the status, the body is not awaited.
        CompletableFuture<HttpResponse<InputStream>> answer =
                http.client().sendAsync(post, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try {
            response = answer.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return failed("the auth callback did not answer within " + config.timeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof java.net.http.HttpTimeoutException) {
                return failed("the auth callback did not answer within " + config.timeout().toMillis() + " ms");
            }
            log.warn("auth callback {} failed: {}", Redaction.url(config.url().toString()), cause.toString());
            return failed("the auth callback could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            return failed("interrupted while asking the auth callback");
        }
        try (InputStream body = response.body()) {
            return verdict(response.statusCode(), response.headers().firstValue("Location"));
        } catch (IOException e) {
            // Closing the unread body can fail; the status is what counts.
            return verdict(response.statusCode(), response.headers().firstValue("Location"));
        }
    }

    static Verdict verdict(int status, Optional<String> location) {
        if (status >= 200 && status < 300) {
            return Verdict.PASS;
        }
        if (status >= 300 && status < 400) {
            if (location.isEmpty()) {
                return refused("the auth callback redirected (HTTP " + status + ") without a Location");
            }
            return renamed(location.get()).map(n -> (Verdict) new Verdict.Rename(n))
                    .orElseGet(() -> refused("the auth callback's Location is not a stream name"));
        }
        return refused("refused by the auth callback (HTTP " + status + ")");
    }

    /**
     * The stream name a Location gives: its path without query and leading slashes. A URL to another server
     * (nginx-rtmp relays to it for play) is not supported, and so refused.
     */
    static Optional<String> renamed(String location) {
        String name = location.strip();
        if (name.contains("://")) {
            return Optional.empty();
        }
        int q = name.indexOf('?');
        name = q < 0 ? name : name.substring(0, q);
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        if (name.isEmpty() || name.length() > 256 || name.endsWith("/") || name.contains("//")) {
            return Optional.empty();
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                return Optional.empty();
            }
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x21 || c == 0x7F) {
                return Optional.empty();
            }
        }
        return Optional.of(name);
    }

    /** The form body: nginx-rtmp's fields, then the query arguments (the backend checks keys it issued). */
    static String form(AuthRequest r) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("call", r.action().wireName());
        fields.put("addr", r.peer().getHostAddress());
        fields.put("app", r.app());
        fields.put("name", r.name());
        fields.put("tcurl", r.tcUrl());
        fields.put("pageurl", r.pageUrl());
        fields.put("swfurl", r.swfUrl());
        fields.put("flashver", r.flashVer());
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> append(body, k, v));
        for (QueryArg a : r.args()) {
            if (!fields.containsKey(a.name())) {
                append(body, a.name(), a.value());
            }
        }
        return body.toString();
    }

    private static void append(StringBuilder body, String name, String value) {
        if (!body.isEmpty()) {
            body.append('&');
        }
        body.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static Verdict refused(String why) {
        return new Verdict.Fail(DenyReason.CALLBACK_REFUSED, why);
    }

    private static Verdict failed(String why) {
        return new Verdict.Fail(DenyReason.CALLBACK_FAILED, why);
    }
}
