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
 * Our server handshake against a real ffmpeg player (libavformat's own RTMP client, not librtmp). ffmpeg sends
 * a digest C1, checks our S1 digest and S2 signature, and closes the connection if either is wrong; sending
 * its connect command afterwards is the proof that it accepted them. Run as a publisher it still sends a digest
 * C1 but echoes S1 as C2, so both C2 forms must pass even with strict response checking.
 */
class FfmpegInteropTest {
    @Test
    void ffmpegPlayerAcceptsOurDigestAnswer(@TempDir Path tmp) throws Exception {
        HandshakeResult result = handshakeWithFfmpeg(tmp, "-rw_timeout", "5000000", "-i", "URL", "-f", "null", "-");
        assertEquals(HandshakeMode.digest(DigestScheme.SCHEME_0), result.mode());
        assertEquals(ResponseCheck.SIGNED, result.response(), "ffmpeg signs C2 when it plays");
    }

    @Test
    void ffmpegPublisherSendsDigestC1ButEchoesS1(@TempDir Path tmp) throws Exception {
        // libavformat checks S1/S2 and signs C2 only when reading; a publisher echoes S1 (RTMP 5.2.4).
        HandshakeResult result = handshakeWithFfmpeg(tmp, "-f", "lavfi", "-i", "anullsrc", "-t", "1",
                "-c:a", "pcm_s16le", "-f", "flv", "URL");
        assertEquals(HandshakeMode.digest(DigestScheme.SCHEME_0), result.mode());
        assertEquals(ResponseCheck.ECHOED, result.response());
    }

    /** Runs our server against ffmpeg, with "URL" in {@code args} standing for our address. */
    private static HandshakeResult handshakeWithFfmpeg(Path tmp, String... args) throws Exception {
        Path ffmpeg = ExternalPeer.require("ffmpeg");
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "rtmp://127.0.0.1:%d/app/x".formatted(listener.getLocalPort());
            List<String> command = new ArrayList<>(List.of(ffmpeg.toString(), "-nostdin", "-loglevel", "debug"));
            for (String arg : args) {
                command.add(arg.equals("URL") ? url : arg);
            }
            try (ExternalPeer peer = ExternalPeer.start(tmp.resolve("ffmpeg.log"), command);
                    Socket socket = peer.accept(listener, 10_000)) {
                HandshakeResult result = peer.explainFailure(() -> Handshake.server(socket.getInputStream(),
                        socket.getOutputStream(), HandshakeOptions.defaults().withStrictResponse(true),
                        socket::setSoTimeout));
                socket.setSoTimeout(10_000);
                assertEquals(0x03, socket.getInputStream().read(),
                        "after accepting S1/S2 ffmpeg sends connect on chunk stream 3 (first byte fmt 0, csid 3); "
                                + "its output:\n" + peer.output());
                return result;
            }
        }
    }
}
