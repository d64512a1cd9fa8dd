package io.loomcast.gateway.protocol.handshake;

import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.NginxRtmp;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what real peers send during a handshake with our deterministic side ({@link Fixtures}), into
 * {@code src/test/resources/vectors/handshake/}. Not a test: run by hand when a peer changes, then let
 * {@link CapturedVectorsTest} replay the files. Because our side is deterministic, a replay reproduces our
 * half byte for byte, so the peer's C2/S2 signatures still validate. See the README in that directory.
 */
final class CaptureVectors {
    private static final List<String> SWF_VERIFICATION = List.of(
            "--swfhash", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", "--swfsize", "1000");

    private CaptureVectors() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "gateway/src/test/resources/vectors/handshake");
        Files.createDirectories(out);
        Path tmp = Files.createTempDirectory("capture");
        String ffmpeg = ExternalPeer.require("ffmpeg").toString();
        String rtmpdump = ExternalPeer.require("rtmpdump").toString();
        captureClient(out.resolve("ffmpeg-play.c0c1c2.bin"), tmp,
                List.of(ffmpeg, "-nostdin", "-rw_timeout", "5000000", "-i", "URL", "-f", "null", "-"));
        captureClient(out.resolve("ffmpeg-publish.c0c1c2.bin"), tmp, List.of(ffmpeg, "-nostdin", "-f", "lavfi",
                "-i", "anullsrc", "-t", "1", "-c:a", "pcm_s16le", "-f", "flv", "URL"));
        captureClient(out.resolve("rtmpdump-plain.c0c1c2.bin"), tmp,
                List.of(rtmpdump, "-r", "URL", "-o", "/dev/null", "-m", "5"));
        List<String> swf = new ArrayList<>(List.of(rtmpdump, "-r", "URL", "-o", "/dev/null", "-m", "5"));
        swf.addAll(SWF_VERIFICATION);
        captureClient(out.resolve("rtmpdump-swfverify.c0c1c2.bin"), tmp, swf);
        try (NginxRtmp nginx = NginxRtmp.start(tmp)) {
            captureServer(out.resolve("nginx-digest0.s0s1s2.bin"), nginx, HandshakeMode.digest(DigestScheme.SCHEME_0));
            captureServer(out.resolve("nginx-digest1.s0s1s2.bin"), nginx, HandshakeMode.digest(DigestScheme.SCHEME_1));
            captureServer(out.resolve("nginx-simple.s0s1s2.bin"), nginx, HandshakeMode.simple());
        }
    }

    /** Our deterministic server against a client process; records C0C1 and C2. */
    private static void captureClient(Path file, Path tmp, List<String> command) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "rtmp://127.0.0.1:%d/app/x".formatted(listener.getLocalPort());
            List<String> withUrl = command.stream().map(a -> a.equals("URL") ? url : a).toList();
            try (ExternalPeer peer = ExternalPeer.start(tmp.resolve("peer.log"), withUrl);
                    Socket socket = peer.accept(listener, 10_000)) {
                Recording in = new Recording(socket.getInputStream());
                HandshakeResult result = Handshake.server(in, socket.getOutputStream(), Fixtures.serverOptions(),
                        socket::setSoTimeout);
                Files.write(file, in.bytes());
                System.out.println(file + ": " + result);
            }
        }
    }

    /** Our deterministic client against nginx; records S0S1S2. */
    private static void captureServer(Path file, NginxRtmp nginx, HandshakeMode offer) throws Exception {
        try (Socket socket = nginx.connect()) {
            Recording in = new Recording(socket.getInputStream());
            HandshakeResult result = Handshake.client(in, socket.getOutputStream(), offer, Fixtures.clientOptions(),
                    socket::setSoTimeout);
            Files.write(file, in.bytes());
            System.out.println(file + ": " + result);
        }
    }

    /** Keeps a copy of every byte read; the driver reads exactly the handshake units and nothing beyond. */
    private static final class Recording extends FilterInputStream {
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        Recording(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
            }
            return n;
        }

        byte[] bytes() {
            return copy.toByteArray();
        }
    }
}
