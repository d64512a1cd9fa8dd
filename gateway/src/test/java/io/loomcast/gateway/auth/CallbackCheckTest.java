package io.loomcast.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.CallbackConfig;
import io.loomcast.gateway.testing.CallbackServer;
import io.loomcast.gateway.testing.CallbackServer.Answer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The callback against a real HTTP server: what it sends, and how each kind of answer is read (fail closed). */
class CallbackCheckTest {
    private static final Duration TIMEOUT = Duration.ofMillis(1000);
    private static HttpCallbacks http;
    private static CallbackServer server;

    @BeforeAll
    static void start() throws Exception {
        http = new HttpCallbacks();
        server = CallbackServer.start(Map.of(
                "/allow", Answer.status(204),
                "/deny", Answer.status(403),
                "/error", Answer.status(500),
                "/rename", Answer.redirect("/renamed?ignored=1"),
                "/bare-redirect", new Answer(302, null, Duration.ZERO),
                "/elsewhere", Answer.redirect("rtmp://other.example/live/x"),
                "/slow", Answer.after(Duration.ofSeconds(3), 200)));
        // The first exchange loads the JDK HTTP client's classes, which can take most of a second here.
        http.client().send(java.net.http.HttpRequest.newBuilder(server.url("/allow")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
    }

    @AfterAll
    static void stop() {
        server.close();
        http.close();
    }

    private static Check.Verdict ask(String path) throws Exception {
        return ask(server.url(path));
    }

    private static Check.Verdict ask(URI url) throws Exception {
        AuthRequest r = new AuthRequest(InetAddress.getByName("127.0.0.9"), Action.PUBLISH, "live", "show",
                QueryArg.parse("key=k1&token=t%202"), "rtmp://127.0.0.1:1935/live?key=k1", "http://page", "",
                "FMLE/3.0");
        return new CallbackCheck(new CallbackConfig(url, TIMEOUT), http).check(r);
    }

    @Test
    void postsNginxRtmpsFieldsThenTheQueryArguments() throws Exception {
        int before = server.calls().size();
        assertEquals(Check.Verdict.PASS, ask("/allow"));
        CallbackServer.Call call = server.calls().get(before);
        assertEquals("/allow", call.path());
        assertEquals(List.of("call", "addr", "app", "name", "tcurl", "pageurl", "swfurl", "flashver", "key", "token"),
                List.copyOf(call.form().keySet()));
        assertEquals("publish", call.form().get("call"));
        assertEquals("127.0.0.9", call.form().get("addr"));
        assertEquals("live", call.form().get("app"));
        assertEquals("show", call.form().get("name"));
        assertEquals("rtmp://127.0.0.1:1935/live?key=k1", call.form().get("tcurl"));
        assertEquals("k1", call.form().get("key"));
        assertEquals("t 2", call.form().get("token"));
    }

    @Test
    void a3xxWithLocationRenamesAndEveryOtherAnswerRefuses() throws Exception {
        assertEquals(new Check.Verdict.Rename("renamed"), ask("/rename"));
        assertEquals(DenyReason.CALLBACK_REFUSED, failure(ask("/deny")).reason());
        assertTrue(failure(ask("/deny")).description().contains("403"));
        assertEquals(DenyReason.CALLBACK_REFUSED, failure(ask("/error")).reason());
        assertEquals(DenyReason.CALLBACK_REFUSED, failure(ask("/bare-redirect")).reason());
        assertEquals(DenyReason.CALLBACK_REFUSED, failure(ask("/elsewhere")).reason(), "no relay to other servers");
        assertEquals(DenyReason.CALLBACK_REFUSED, failure(ask("/not-there")).reason(), "404");
    }

    @Test
    void noAnswerInTimeOrNoServerRefuses() throws Exception {
        long start = System.nanoTime();
        Check.Verdict.Fail slow = failure(ask("/slow"));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(DenyReason.CALLBACK_FAILED, slow.reason());
        assertTrue(tookMs >= TIMEOUT.toMillis() - 10 && tookMs < 2_900, "took " + tookMs + " ms");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertEquals(DenyReason.CALLBACK_FAILED,
                failure(ask(URI.create("http://127.0.0.1:" + closedPort + "/x"))).reason());
    }

    @Test
    void aLocationBecomesAPlainStreamNameOrNothing() {
        assertEquals(Optional.of("other"), CallbackCheck.renamed("other"));
        assertEquals(Optional.of("a/b"), CallbackCheck.renamed("//a/b?x=1"));
        assertEquals(Optional.empty(), CallbackCheck.renamed("rtmp://h/live/x"));
        assertEquals(Optional.empty(), CallbackCheck.renamed("../x"));
        assertEquals(Optional.empty(), CallbackCheck.renamed("a b"));
        assertEquals(Optional.empty(), CallbackCheck.renamed("?only=query"));
    }

    private static Check.Verdict.Fail failure(Check.Verdict v) {
        return assertInstanceOf(Check.Verdict.Fail.class, v);
    }
}
