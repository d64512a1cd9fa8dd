package io.loomcast.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.ConfigError;
import io.loomcast.gateway.config.ConfigException;
import io.loomcast.gateway.routing.RelayStatus;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RtmpRecorder;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Writes through the API without media: ids, switching pushes, adding and removing pushes and routes, what
 * the state file keeps across a restart, how bad bodies and bad state files are refused, the token, and reload.
 * Destinations point at a closed port: nothing publishes, so pushes wait for their source and never connect.
 */
class ApiWritesTest {
    private static final String CONFIG = """
            server:
              listen: 127.0.0.1:0
            transcode:
              playerRenditions: false
              profiles:
                small: {video: {height: 180, bitrate: 300k}}
            routes:
              - stream: live/a
                push:
                  - rtmp://127.0.0.1:9/x/{name}
                  - id: second
                    url: rtmp://127.0.0.1:9/y/{name}
              - id: studio
                stream: live/studio
                push:
                  - rtmp://127.0.0.1:9/x/studio
            """;

    @TempDir
    Path dir;

    private static List<String> details(ApiClient.Response r) {
        return StreamSupport.stream(r.json().path("details").spliterator(), false).map(JsonNode::asString).toList();
    }

    private static List<RelayStatus> pushes(ApiGateway g) {
        return g.gateway().relay().status().stream().filter(s -> s.kind().equals("push")).toList();
    }

    @Test
    void idsPushesAndRoutesChangeAtOnceAndComeBackAfterARestart() throws Exception {
        try (ApiGateway g = ApiGateway.start(dir, CONFIG)) {
            ApiClient api = g.client();
            JsonNode routes = api.get("/api/v1/routes").json().path("routes");
            assertEquals("live-a", routes.path(0).path("id").asString(), "an id made from the stream");
            assertEquals("127.0.0.1-x", routes.path(0).path("pushes").path(0).path("id").asString(),
                    "an id made from host and app, never the key");
            assertEquals("second", routes.path(0).path("pushes").path(1).path("id").asString(), "the file's id");
            assertEquals("studio", routes.path(1).path("id").asString());
            assertEquals("rtmp://127.0.0.1:9/x/***", routes.path(1).path("pushes").path(0).path("url").asString());
            assertEquals(3, pushes(g).size());

            ApiClient.Response off = api.patch("/api/v1/routes/live-a/pushes/second", "{\"enabled\": false}");
            assertEquals(200, off.status(), off.toString());
            assertFalse(off.json().path("enabled").asBoolean());
            assertTrue(pushes(g).stream().noneMatch(p -> p.pushId().equals("second")), "switched off: not running");
            assertTrue(pushes(g).stream().anyMatch(p -> p.pushId().equals("127.0.0.1-x") && p.routeId().equals("live-a")),
                    "its sibling runs on");

            ApiClient.Response added = api.post("/api/v1/routes/live-a/pushes",
                    "{\"url\": \"rtmp://127.0.0.1:9/z/{name}\", \"transcode\": \"small\"}");
            assertEquals(201, added.status(), added.toString());
            assertEquals("127.0.0.1-z", added.json().path("id").asString());
            assertEquals("small", added.json().path("transcode").asString());

            ApiClient.Response route = api.post("/api/v1/routes",
                    "{\"stream\": \"live/b\", \"push\": [\"rtmp://127.0.0.1:9/x/b\", {\"id\": \"own\", \"url\": \"rtmp://127.0.0.1:9/w/b\"}]}");
            assertEquals(201, route.status(), route.toString());
            assertEquals("live-b", route.json().path("id").asString());
            assertEquals("api", route.json().path("origin").asString());
            assertEquals("127.0.0.1-x", route.json().path("pushes").path(0).path("id").asString());

            assertEquals(204, api.delete("/api/v1/routes/studio").status(), "a route of the config file");
            assertEquals(204, api.delete("/api/v1/routes/live-b/pushes/own").status(), "a push the API added");
            assertEquals(204, api.delete("/api/v1/routes/live-a/pushes/127.0.0.1-x").status(), "a push of the file");
            assertTrue(pushes(g).stream().noneMatch(p -> p.routeId().equals("studio")), "the removed route stopped");

            JsonNode before = api.get("/api/v1/routes").json();
            assertEquals(List.of("live-a", "live-b"), ids(before));
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(g.stateFile()), "the state may hold stream keys");
            String state = Files.readString(g.stateFile());
            assertTrue(state.contains("id: live-b") && state.contains("127.0.0.1-z"), state);

            g.restart();
            assertEquals(before, g.client().get("/api/v1/routes").json(), "a restart comes back as it was left");
            assertTrue(pushes(g).stream().noneMatch(p -> p.pushId().equals("second")), "still switched off");
            ApiClient.Response on = g.client().patch("/api/v1/routes/live-a/pushes/second", "{\"enabled\": true}");
            assertTrue(on.json().path("enabled").asBoolean());
            assertTrue(pushes(g).stream().anyMatch(p -> p.pushId().equals("second")), "switched on: running again");
        }
    }

    private static List<String> ids(JsonNode routes) {
        return StreamSupport.stream(routes.path("routes").spliterator(), false).map(r -> r.path("id").asString()).toList();
    }

    @Test
    void aBadBodyGets400WithTheBindersMessagesAndChangesNothing() throws Exception {
        try (ApiGateway g = ApiGateway.start(dir, CONFIG)) {
            ApiClient api = g.client();
            JsonNode before = api.get("/api/v1/routes").json();
            List<RelayStatus> running = pushes(g);

            ApiClient.Response scheme = api.post("/api/v1/routes/live-a/pushes", "{\"url\": \"http://a.example/live/key\"}");
            assertEquals(400, scheme.status());
            assertEquals(List.of("request:1:9: url: scheme \"http\" is not rtmp or rtmps; e.g. rtmp://host:1935/app/stream"),
                    details(scheme));

            ApiClient.Response several = api.post("/api/v1/routes/live-a/pushes", """
                    {"url": "rtmp://127.0.0.1:9/q/{nam}",
                     "chunkSze": 4096,
                     "transcode": "smal"}""");
            assertEquals(List.of(
                    "request:1:9: url: unknown placeholder \"{nam}\"; did you mean '{name}'?",
                    "request:2:2: chunkSze: unknown key; did you mean 'chunkSize'?",
                    "request:3:15: transcode: unknown transcode profile \"smal\"; did you mean 'small'?"),
                    details(several), "every problem at once, with line and column in the body");

            ApiClient.Response same = api.post("/api/v1/routes/live-a/pushes", "{\"url\": \"rtmp://127.0.0.1:9/y/{name}\"}");
            assertEquals(List.of("request:1:9: url: same destination as push second of route live-a"), details(same));
            ApiClient.Response taken = api.post("/api/v1/routes/live-a/pushes",
                    "{\"id\": \"second\", \"url\": \"rtmp://127.0.0.1:9/v/{name}\"}");
            assertEquals(List.of("request:1:8: id: duplicate push id \"second\"; already the id of a push of route live-a"),
                    details(taken));
            ApiClient.Response dup = api.post("/api/v1/routes", "{\"stream\": \"live/studio\"}");
            assertEquals(List.of("request:1:12: stream: duplicate stream; already routed by route studio; "
                    + "put all its pulls and pushes in one route"), details(dup));
            ApiClient.Response yes = api.patch("/api/v1/routes/live-a/pushes/second", "{\"enabled\": \"yes\"}");
            assertEquals(List.of("request:1:13: enabled: expected true or false, got \"yes\""), details(yes));
            ApiClient.Response notJson = api.post("/api/v1/routes", "stream: live/c");
            assertEquals(400, notJson.status());
            assertEquals(400, api.post("/api/v1/routes", "[1, 2]").status());
            ApiClient.Response env = api.post("/api/v1/routes/live-a/pushes", "{\"url\": \"rtmp://h/app/${HOME}\"}");
            assertEquals(400, env.status(), "the API reads no environment variable: " + env);

            assertEquals(before, api.get("/api/v1/routes").json(), "the running table is unchanged");
            assertEquals(running.size(), pushes(g).size());
            assertFalse(Files.exists(g.stateFile()), "nothing was written");

            assertEquals(404, api.patch("/api/v1/routes/nope/pushes/second", "{\"enabled\": false}").status());
            assertEquals(404, api.delete("/api/v1/routes/live-a/pushes/nope").status());
            assertEquals(404, api.delete("/api/v1/sessions/c999").status());
            assertEquals(405, api.send("PUT", "/api/v1/routes", "{}").status());
            assertEquals(404, api.get("/api/v1/streams/live/none").status());
            assertEquals(404, api.get("/api/v1/nothing").status());
        }
    }

    @Test
    void theTokenGuardsTheApiAndHealthAndMetricsStayOpen() throws Exception {
        try (ApiGateway g = ApiGateway.start(dir, CONFIG)) {
            ApiClient anonymous = g.client().withToken(null);
            ApiClient.Response write = anonymous.post("/api/v1/routes", "{\"stream\": \"live/c\"}");
            assertEquals(401, write.status());
            assertEquals("a bearer token is required", write.json().path("error").asString());
            assertEquals(401, anonymous.get("/api/v1/streams").status());
            assertEquals(401, g.client().withToken("test-token-0123456789abcdeX").patch(
                    "/api/v1/routes/live-a/pushes/second", "{\"enabled\": false}").status());
            assertEquals(200, anonymous.get("/healthz").status());
            ApiClient.Response ready = anonymous.get("/readyz");
            assertEquals(200, ready.status());
            assertTrue(ready.json().path("nativesReady").asBoolean());
            assertEquals(200, anonymous.get("/api/v1/openapi.json").status());
            ApiClient.Response metrics = anonymous.get("/metrics");
            assertEquals(200, metrics.status());
            assertTrue(metrics.text().contains("loomcast_sessions"), "metrics are open");
            assertTrue(metrics.text().contains("jvm_memory_used_bytes") && metrics.text().contains("process_cpu_seconds"),
                    "JVM and process instrumentation");
            assertFalse(metrics.text().contains("127.0.0.1:9/"), "no URL in any label");
            ApiClient.Response page = anonymous.get("/");
            assertEquals(200, page.status());
            assertTrue(page.text().contains("dashboard.js"));
            assertEquals(List.of(), details(anonymous.post("/api/v1/routes", "{}")));
        }
    }

    @Test
    void aKickedPlayerIsToldWhyAndClosed() throws Exception {
        try (ApiGateway g = ApiGateway.start(dir, CONFIG);
             RtmpRecorder player = RtmpRecorder.start(g.rtmp("live/a"), dir.resolve("player.flv"))) {
            ApiClient api = g.client();
            Poll.until(() -> api.get("/api/v1/sessions").json().path("sessions").size() == 1, Duration.ofSeconds(5),
                    "the player's session", () -> api.get("/api/v1/sessions").text());
            JsonNode session = api.get("/api/v1/sessions").json().path("sessions").path(0);
            assertEquals("player", session.path("kind").asString());
            assertEquals("live/a", session.path("streams").path(0).asString());
            assertEquals(400, api.delete("/api/v1/sessions/" + session.path("id").asString(), "{\"reason\": 1}").status());
            assertEquals(204, api.delete("/api/v1/sessions/" + session.path("id").asString(),
                    "{\"message\": \"maintenance\"}").status());
            Poll.until(() -> player.notices().contains("NetStream.Play.Stop") && player.ended() != null,
                    Duration.ofSeconds(5), "the player to be told and closed", player::toString);
            Poll.until(() -> api.get("/api/v1/sessions").json().path("sessions").isEmpty(), Duration.ofSeconds(5),
                    "the session gone", () -> api.get("/api/v1/sessions").text());
        }
    }

    @Test
    void reloadThroughTheApiIsSighupAndABadFileChangesNothing() throws Exception {
        try (ApiGateway g = ApiGateway.start(dir, CONFIG)) {
            ApiClient api = g.client();
            assertEquals(201, api.post("/api/v1/routes/live-a/pushes", "{\"url\": \"rtmp://127.0.0.1:9/k/{name}\"}").status());
            Files.writeString(g.configFile(), Files.readString(g.configFile()).replace("""
                      - id: studio
                    """, """
                      - stream: live/new
                      - id: studio
                    """));
            ApiClient.Response ok = api.post("/api/v1/reload", null);
            assertEquals(200, ok.status(), ok.toString());
            assertEquals(List.of("live-a", "live-new", "studio"), ids(api.get("/api/v1/routes").json()));
            assertTrue(api.get("/api/v1/routes/live-a").json().path("pushes").toString().contains("127.0.0.1-k"),
                    "the API's push stays over the reloaded file");

            Files.writeString(g.configFile(), Files.readString(g.configFile()).replace("stream: live/new",
                    "stream: live/new\n    pul: rtmp://x/y/z"));
            ApiClient.Response bad = api.post("/api/v1/reload", null);
            assertEquals(400, bad.status());
            assertTrue(details(bad).getFirst().matches(".*gateway.yaml:\\d+:\\d+: routes\\[1\\]\\.pul: unknown key.*"),
                    details(bad).toString());
            assertEquals(List.of("live-a", "live-new", "studio"), ids(api.get("/api/v1/routes").json()));
        }
    }

    @Test
    void aStateFileThatDoesNotBindStopsStartupWithItsPositions() throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, CONFIG + "api: {listen: 127.0.0.1:0}\n");
        Files.writeString(dir.resolve("gateway.state.yaml"), """
                routes:
                  - id: extra
                    stream: live/studio
                    push:
                      - id: p
                        url: http://a.example/live/key
                overrides:
                  live-a:
                    enabled: {second: maybe}
                  gone:
                    removed: true
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> ControlPlane.load(config, Map.of()));
        String state = dir.resolve("gateway.state.yaml").toString();
        assertEquals(List.of(
                state + ":3:13: routes[0].stream: duplicate stream; first at " + config + " line 14; "
                        + "put all its pulls and pushes in one route",
                state + ":6:14: routes[0].push[0].url: scheme \"http\" is not rtmp or rtmps; e.g. rtmp://host:1935/app/stream",
                state + ":9:23: overrides.live-a.enabled.second: expected true or false, got \"maybe\""),
                e.errors().stream().map(ConfigError::format).toList());
    }
}
