package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.it.Peers.Player;
import io.loomcast.gateway.protocol.chunk.ChunkLimits;
import io.loomcast.gateway.protocol.chunk.ChunkReader;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.MessageCodec;
import io.loomcast.gateway.protocol.message.SetChunkSize;
import io.loomcast.gateway.protocol.message.SetPeerBandwidth;
import io.loomcast.gateway.protocol.message.StreamBegin;
import io.loomcast.gateway.protocol.message.WindowAcknowledgementSize;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.FlvRecording;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.SourceClip;
import io.loomcast.gateway.testing.TapProxy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connect answer in the order of the RTMP spec's play flow (7.3.2): Window Acknowledgement Size, Set Peer
 * Bandwidth, then User Control Stream Begin for stream 0, before connect's {@code _result}. A proxy captures
 * what the gateway sends each real peer, and each peer must still work: ffmpeg publishing (the FMLE sequence,
 * releaseStream and FCPublish, as OBS sends it), ffmpeg, rtmpdump and GStreamer playing, and nginx-rtmp
 * pulling from us for a player of its own.
 */
class ConnectSequenceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** C0 C1 (or S0 S1) and S2: 1 + 1536 + 1536 bytes before the first chunk. */
    private static final int HANDSHAKE_BYTES = 1 + 1536 + 1536;
    private static final List<String> EXPECTED = List.of("WindowAcknowledgementSize", "SetPeerBandwidth",
            "StreamBegin 0", "SetChunkSize", "_result");

    @TempDir
    Path dir;

    @Test
    void everyPeerGetsStreamBeginBeforeConnectsResultAndCarriesOn() throws Exception {
        try (Gateway gateway = TestGateway.start("");
             TapProxy tap = new TapProxy(gateway.rtmpAddress().getPort());
             Resources r = new Resources()) {
            NginxRtmp nginx = r.add(NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                    NginxRtmp.Options.withApps().withServerBlock(
                            "application pulled { live on; pull %s name=cs; }".formatted(tap.url("live/cs")))));
            HubRecorder hub = r.add(HubRecorder.subscribePassive(gateway.hub(), "live/cs"));
            Map<String, Integer> tapOf = new LinkedHashMap<>();
            tapOf.put("ffmpeg publishing", connected(tap, () -> r.add(SourceClip.get().publish(
                    dir.resolve("publisher.log"), tap.url("live/cs"), -1))));
            hub.recorded().await(rec -> video(rec.frames()) >= SourceClip.FPS, WAIT, "the publisher's video in the hub");
            Map<String, Path> recordings = new LinkedHashMap<>();
            for (Player p : Player.values()) {
                Path flv = dir.resolve(p + ".flv");
                recordings.put(p + " playing", flv);
                tapOf.put(p + " playing", connected(tap, () -> r.add(p.start(tap.url("live/cs"), flv,
                        dir.resolve(p + ".log")))));
            }
            Path pulled = dir.resolve("nginx.flv");
            recordings.put("nginx pulling, for rtmpdump at nginx", pulled);
            tapOf.put("nginx pulling, for rtmpdump at nginx", connected(tap, () -> r.add(ExternalPeer.start(
                    dir.resolve("nginx-rtmpdump.log"), List.of(ExternalPeer.require("rtmpdump").toString(), "-q",
                            "--live", "-r", nginx.url("pulled/cs"), "-o", pulled.toString())))));

            for (var e : recordings.entrySet()) {
                Poll.until(() -> videoIn(e.getValue()) >= SourceClip.FPS, WAIT, "a second of video for " + e.getKey(),
                        () -> "it has " + videoIn(e.getValue()));
            }
            int before = video(hub.frames());
            hub.recorded().await(rec -> video(rec.frames()) >= before + SourceClip.FPS, WAIT, "the publisher going on");
            for (var e : tapOf.entrySet()) {
                assertEquals(EXPECTED, connectAnswer(tap.taps().get(e.getValue()).fromServer()),
                        "what the gateway answered " + e.getKey() + "'s connect");
            }
        }
    }

    private interface Start {
        void run() throws Exception;
    }

    /** Starts a peer and waits for its connection to reach the proxy; returns the connection's index. */
    private static int connected(TapProxy tap, Start start) throws Exception {
        int index = tap.taps().size();
        start.run();
        Poll.until(() -> tap.taps().size() > index, WAIT, "the peer's connection", () -> "");
        return index;
    }

    /** The messages the gateway sent after the handshake, up to and including connect's {@code _result}. */
    private static List<String> connectAnswer(byte[] fromServer) throws IOException {
        ChunkReader reader = new ChunkReader(new ByteArrayInputStream(fromServer, HANDSHAKE_BYTES,
                fromServer.length - HANDSHAKE_BYTES), ChunkLimits.DEFAULT);
        List<String> out = new ArrayList<>();
        while (out.size() < 10) {
            Message m = MessageCodec.decode(reader.read());
            switch (m) {
                case SetChunkSize s -> {
                    reader.chunkSize(s.sizeBytes());
                    out.add("SetChunkSize");
                }
                case WindowAcknowledgementSize w -> out.add("WindowAcknowledgementSize");
                case SetPeerBandwidth b -> out.add("SetPeerBandwidth");
                case StreamBegin b -> out.add("StreamBegin " + b.streamId());
                case CommandMessage c when c.name().equals(CommandMessage.RESULT) -> {
                    out.add("_result");
                    return out;
                }
                default -> out.add(m.getClass().getSimpleName());
            }
        }
        return fail("no _result in the first messages: " + out);
    }

    private static int video(List<io.loomcast.gateway.testing.MediaFrame> frames) {
        return Playout.track(frames, Frame.Kind.VIDEO).size();
    }

    private static int videoIn(Path flv) {
        try {
            return Files.exists(flv) ? video(FlvRecording.read(flv)) : 0;
        } catch (IOException notYetAnFlv) {
            return 0;
        }
    }
}
