package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loomcast.gateway.bench.FailureReason.Phase;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.protocol.PeerClosedException;
import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.CommandRejectedException;
import io.loomcast.gateway.session.RtmpClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureReasonTest {
    @Test
    void reasonsByExceptionAndPhase() {
        assertEquals("refused", FailureReason.of(Phase.CONNECT, new ConnectException("Connection refused")));
        assertEquals("rejected:NetStream.Play.StreamNotFound", FailureReason.of(Phase.COMMAND,
                new CommandRejectedException("play", "NetStream.Play.StreamNotFound", "no such stream")));
        assertEquals("rejected:unknown", FailureReason.of(Phase.COMMAND, new CommandRejectedException("play", "", "")));
        assertEquals("timeout", FailureReason.of(Phase.CONNECT, new SocketTimeoutException("Connect timed out")));
        assertEquals("idle", FailureReason.of(Phase.STREAMING, new SocketTimeoutException("Read timed out")));
        assertEquals("reset", FailureReason.of(Phase.STREAMING, new SocketException("Connection reset")));
        assertEquals("reset", FailureReason.of(Phase.STREAMING, new PeerClosedException("peer closed")));
        assertEquals("closed", FailureReason.of(Phase.COMMAND, new PeerClosedException("peer closed")));
        assertEquals("protocol", FailureReason.of(Phase.STREAMING, new ProtocolException("bad chunk")));
        assertEquals("error", FailureReason.of(Phase.STREAMING, new IllegalStateException("bug")));
    }

    /** A server that answers the handshake with garbage: the stack says it was the handshake. */
    @Test
    void garbageHandshakeIsHandshake() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write(new byte[] {'H', 'T', 'T', 'P'});
                    out.flush();
                    s.getInputStream().readNBytes(1537);
                } catch (IOException ignored) {
                    // The client hangs up first.
                }
            });
            RtmpUrl url = RtmpUrl.parse("rtmp://127.0.0.1:" + server.getLocalPort() + "/live/x");
            IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> RtmpClient.connect(url, ClientOptions.DEFAULT.withTimeouts(Duration.ofSeconds(5),
                            Duration.ofSeconds(5), Duration.ofSeconds(5))).close());
            assertEquals("handshake", FailureReason.of(Phase.CONNECT, e), e.toString());
        }
    }
}
