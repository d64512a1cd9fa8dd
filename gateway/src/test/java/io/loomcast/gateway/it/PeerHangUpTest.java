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
 * instead of closing it. That is the peer hanging up, like a close: one INFO line, not a WARN about an I/O
 * error or a failed write.
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

            InetSocketAddress server = gateway.rtmpAddress();
            RawConnection publisher = r.add(RawConnection.open(server).handshake());
            publisher.send(CommandMessage.of(CommandMessage.CONNECT, 1, new AmfValue.Obj(Map.of(
                    "app", new AmfValue.Str("live"),
                    "tcUrl", new AmfValue.Str("rtmp://127.0.0.1:%d/live".formatted(server.getPort()))))));
            publisher.send(CommandMessage.of(CommandMessage.CREATE_STREAM, 2, AmfValue.NULL));
            publisher.send(CommandMessage.of(CommandMessage.PUBLISH, 0, AmfValue.NULL, new AmfValue.Str("hangup"),
                    new AmfValue.Str("live")).onStream(1));
            String from = "from 127.0.0.1:" + publisher.localPort();
            log.await(l -> !l.matching("publishing live/hangup", from).isEmpty(), DEADLINE, "the publish");
            String publishLine = log.matching("publishing live/hangup", from).getFirst();
            String connection = publishLine.substring(publishLine.indexOf(" - ") + 3, publishLine.indexOf(':',
                    publishLine.indexOf(" - ")));

            // As ffmpeg ends: FCUnpublish, deleteStream, close, never having read a reply. Unread bytes at close
            // make the kernel send a reset.
            publisher.send(CommandMessage.of("FCUnpublish", 3, AmfValue.NULL, new AmfValue.Str("hangup")));
            publisher.send(CommandMessage.of(CommandMessage.DELETE_STREAM, 4, AmfValue.NULL, new AmfValue.Num(1)));
            publisher.close();

            player.awaitEvent("NetStream.Play.UnpublishNotify", DEADLINE);
            String prefix = connection + ": ";
            log.await(l -> l.lines().stream().anyMatch(s -> s.contains(prefix) && s.contains(" out)")), DEADLINE,
                    "the publisher's session to end");
            List<String> end = log.lines().stream().filter(s -> s.contains(prefix) && s.contains(" out)")).toList();
            assertTrue(end.getFirst().startsWith("INFO") && end.getFirst().contains("by peer"),
                    "a peer hanging up is not a warning: " + end);
        }
    }
}
