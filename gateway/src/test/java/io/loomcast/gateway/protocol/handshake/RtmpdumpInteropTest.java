package io.loomcast.gateway.protocol.handshake;

import io.loomcast.gateway.testing.ExternalPeer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our server handshake against rtmpdump, i.e. librtmp, the client inside OBS and many others. librtmp sends a
 * plain C1 unless SWF verification (or RTMPE) is asked for; with {@code --swfhash/--swfsize} it sends a
 * Flash Player 9 digest C1 and, like ffmpeg, refuses a server whose S1 digest or S2 signature is wrong.
 */
class RtmpdumpInteropTest {
    /** A made-up SWF hash and size: enough to switch librtmp to the digest handshake; the server never checks. */
    private static final List<String> SWF_VERIFICATION = List.of(
            "--swfhash", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", "--swfsize", "1000");

    @Test
    void plainLibrtmpGetsPlainAnswer(@TempDir Path tmp) throws Exception {
        HandshakeResult result = handshakeWithRtmpdump(tmp, List.of());
        assertEquals(HandshakeMode.simple(), result.mode());
        assertEquals(SoftwareVersion.NONE, result.peerVersion());
        assertEquals(ResponseCheck.ECHOED, result.response());
    }

    @Test
    void librtmpWithSwfVerificationAcceptsOurDigestAnswer(@TempDir Path tmp) throws Exception {
        HandshakeResult result = handshakeWithRtmpdump(tmp, SWF_VERIFICATION);
        assertEquals(HandshakeMode.digest(DigestScheme.SCHEME_0), result.mode());
        assertEquals(ResponseCheck.SIGNED, result.response());
    }

    /** Runs our server against rtmpdump and checks that rtmpdump carries on with its connect command. */
    private static HandshakeResult handshakeWithRtmpdump(Path tmp, List<String> extraArgs) throws Exception {
        Path rtmpdump = ExternalPeer.require("rtmpdump");
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<String> command = new ArrayList<>(List.of(rtmpdump.toString(), "--verbose",
                    "-r", "rtmp://127.0.0.1:%d/app/x".formatted(listener.getLocalPort()), "-o", "/dev/null", "-m", "5"));
            command.addAll(extraArgs);
            try (ExternalPeer peer = ExternalPeer.start(tmp.resolve("rtmpdump.log"), command);
                    Socket socket = peer.accept(listener, 10_000)) {
                HandshakeResult result = peer.explainFailure(() -> Handshake.server(socket.getInputStream(),
                        socket.getOutputStream(), HandshakeOptions.defaults().withStrictResponse(true),
                        socket::setSoTimeout));
                socket.setSoTimeout(10_000);
                assertEquals(0x03, socket.getInputStream().read(),
                        "after accepting S1/S2 librtmp sends connect on chunk stream 3 (fmt 0, csid 3); "
                                + "its output:\n" + peer.output());
                return result;
            }
        }
    }
}
