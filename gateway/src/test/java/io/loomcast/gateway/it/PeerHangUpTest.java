package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.testing.LogCapture;
import io.loomcast.gateway.testing.RawConnection;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.TestPlayer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a session that the peer ends is reported. ffmpeg, the most common publisher, sends FCUnpublish and
 * deleteStream and closes at once, with our replies still unread; the kernel then resets the connection
 * instead of closing it. That is the peer hanging up, like a close: one INFO line, not a WARN. Which of our
 * threads meets the reset first decides how it shows: the writer, busy with the FCUnpublish reply, gets a
 * failed write; a reader waiting on an idle connection gets "Connection reset". Both are covered.
 */
class PeerHangUpTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Test
    void aPublisherThatResetsAfterUnpublishingIsLoggedAsHangingUp() throws Exception {
        try (LogCapture log = LogCapture.of("io.loomcast.gateway.session");
                Gateway gateway = TestGateway.start("");
                Resources r = new Resources()) {
            TestPlayer player = r.add(TestPlayer.play(gateway.rtmpAddress(), "live", "hangup"));
            TestGateway.awaitSubscribers(gateway, "live/hangup", 1, DEADLINE);

            // As ffmpeg ends: FCUnpublish (which we answer), deleteStream, close with our replies unread.
            RawConnection whileWeWrite = publish(gateway.rtmpAddress(), "hangup");
            String first = connectionName(log, whileWeWrite);
            whileWeWrite.send(CommandMessage.of("FCUnpublish", 3, AmfValue.NULL, new AmfValue.Str("hangup")));
            whileWeWrite.send(CommandMessage.of(CommandMessage.DELETE_STREAM, 4, AmfValue.NULL, new AmfValue.Num(1)));
            whileWeWrite.abort();
            assertLoggedAsHangUp(log, first);
            player.awaitEvent("NetStream.Play.UnpublishNotify", DEADLINE);

            // Every answer read and nothing more to answer, so the reset meets our reader, waiting for the next
            // message, and not our writer.
            RawConnection whileWeRead = publish(gateway.rtmpAddress(), "hangup");
            String second = connectionName(log, whileWeRead);
            whileWeRead.awaitStatus("NetStream.Publish.Start", DEADLINE);
            whileWeRead.abort();
            assertLoggedAsHangUp(log, second);
            player.await(p -> p.events().stream().filter("NetStream.Play.UnpublishNotify"::equals).count() == 2,
                    DEADLINE, "the second publisher's end at the player");
        }
    }

    /** Handshake, connect, createStream and publish, without reading any answer (the server's first stream is 1). */
    private static RawConnection publish(InetSocketAddress server, String name) throws Exception {
        RawConnection c = RawConnection.open(server).handshake();
        c.send(CommandMessage.of(CommandMessage.CONNECT, 1, new AmfValue.Obj(Map.of(
                "app", new AmfValue.Str("live"),
                "tcUrl", new AmfValue.Str("rtmp://127.0.0.1:%d/live".formatted(server.getPort()))))));
        c.send(CommandMessage.of(CommandMessage.CREATE_STREAM, 2, AmfValue.NULL));
        c.send(CommandMessage.of(CommandMessage.PUBLISH, 0, AmfValue.NULL, new AmfValue.Str(name),
                new AmfValue.Str("live")).onStream(1));
        return c;
    }

    /** The server's name for {@code c}, from its "publishing ... from 127.0.0.1:port" line. */
    private static String connectionName(LogCapture log, RawConnection c) {
        String from = "from 127.0.0.1:" + c.localPort();
        log.await(l -> !l.matching("publishing live/", from).isEmpty(), DEADLINE, "the publish " + from);
        String line = log.matching("publishing live/", from).getFirst();
        int start = line.indexOf(" - ") + 3;
        return line.substring(start, line.indexOf(':', start));
    }

    /** The session's last line ("... (N in, M out)") is at INFO and puts the end on the peer. */
    private static void assertLoggedAsHangUp(LogCapture log, String connection) {
        String prefix = connection + ": ";
        log.await(l -> l.lines().stream().anyMatch(s -> s.contains(prefix) && s.contains(" out)")), DEADLINE,
                "the end of " + connection);
        List<String> end = log.lines().stream().filter(s -> s.contains(prefix) && s.contains(" out)")).toList();
        assertTrue(end.getFirst().startsWith("INFO") && end.getFirst().contains("peer"),
                "a peer hanging up is not a warning: " + end);
    }
}
