package io.loomcast.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.ProtocolException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StreamRequestTest {

    @ParameterizedTest(name = "app={0} name={1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "live          | x              | live/x     | ''",
            "live/         | /x             | live/x     | ''",
            "live?token=t  | x              | live/x     | token=t",
            "live          | x?sig=1&e=2    | live/x     | sig=1&e=2",
            "live?a=1      | x?b=2          | live/x     | a=1&b=2",
            "live/key      | ''             | live/key   | ''",
            "live/key      | key            | live/key   | ''",
            "live/key?t=1  | NULL           | live/key   | t=1",
            "live          | flv:x          | live/x     | ''",
            "live          | MP4:x          | live/x     | ''",
            "app/inst      | s              | app/inst/s | ''",
    })
    void resolvesTheFormsRealClientsSend(String app, String name, String path, String query) throws Exception {
        StreamRequest n = StreamRequest.resolve(app, name);
        assertEquals(path, n.path());
        assertEquals(query, n.query());
    }

    @Test
    void rejectsWhatCannotNameAStream() {
        ProtocolException noApp = assertThrows(ProtocolException.class, () -> StreamRequest.resolve("", "x"));
        assertTrue(noApp.getMessage().contains("no app"), noApp.getMessage());
        assertThrows(ProtocolException.class, () -> StreamRequest.resolve("live", ""));
        assertThrows(ProtocolException.class, () -> StreamRequest.resolve("live", "a\u0001b"));
        ProtocolException tooLong = assertThrows(ProtocolException.class, () -> StreamRequest.resolve("live", "x".repeat(600)));
        assertTrue(tooLong.getMessage().contains("limit 512"), tooLong.getMessage());
    }

    @Test
    void neverPrintsTheQuery() throws Exception {
        StreamRequest n = StreamRequest.resolve("live", "x?token=secret");
        assertFalse(n.toString().contains("secret"));
        assertEquals("live/x?***", n.toString());
    }

    @Test
    void appFromTcUrl() {
        assertEquals("live", StreamRequest.appFromTcUrl("rtmp://127.0.0.1:1935/live"));
        assertEquals("live/key", StreamRequest.appFromTcUrl("rtmp://h/live/key?x=1"));
        assertEquals("", StreamRequest.appFromTcUrl("rtmp://h"));
        assertEquals("", StreamRequest.appFromTcUrl(null));
    }
}
