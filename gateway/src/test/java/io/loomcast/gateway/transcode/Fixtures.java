package io.loomcast.gateway.transcode;

import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.protocol.amf.Amf0Writer;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.ChunkStreams;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import io.loomcast.gateway.testing.ExternalPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;

/**
 * Test media and peers for the transcode tests: FLV files made once by the ffmpeg CLI before any gateway
 * starts, a real-time RTMP publisher written in Java, ffprobe's view of a stream, and a watch over this
 * JVM's child processes (the gateway must never start ffmpeg).
 */
final class Fixtures {
    private Fixtures() {}

    /** An FLV of H.264 (testsrc2, keyframe every second) and AAC (a sine), {@code seconds} long. */
    static List<FlvReader.Tag> flv(Path dir, String name, int width, int height, int fps, int seconds)
            throws IOException {
        return flv(dir, name, width, height, fps, seconds, "ultrafast");
    }

    /** The same with another x264 preset (ultrafast never codes High profile tools, so its SPS says Baseline). */
    static List<FlvReader.Tag> flv(Path dir, String name, int width, int height, int fps, int seconds, String preset)
            throws IOException {
        Path file = dir.resolve(name + ".flv");
        if (!Files.exists(file)) {
            try (ExternalPeer ff = ExternalPeer.start(dir.resolve(name + ".log"), List.of(
                    ExternalPeer.require("ffmpeg").toString(), "-nostdin", "-loglevel", "error",
                    "-f", "lavfi", "-i", "testsrc2=size=%dx%d:rate=%d".formatted(width, height, fps),
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                    "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", preset, "-tune", "zerolatency",
                    "-profile:v", "high",
                    "-g", Integer.toString(fps), "-b:v", "2M", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-y", file.toString()))) {
                if (ff.awaitExit() != 0) {
                    throw new IOException("ffmpeg failed: " + ff.output());
                }
            }
        }
        List<FlvReader.Tag> tags = new ArrayList<>();
        try (FlvReader r = new FlvReader(Files.newInputStream(file), 1 << 24)) {
            for (FlvReader.Tag t; (t = r.next()) != null; ) {
                tags.add(t);
            }
        }
        return tags;
    }

    /**
     * Waits until nginx has a player for {@code name}: a late joiner would get audio at once but video only
     * from nginx's next keyframe (wait_key), which is nginx's doing, not ours.
     */
    static void awaitPlayer(Path nginxDir, String name) throws Exception {
        Path log = nginxDir.resolve("error.log");
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!Files.exists(log) || !Files.readString(log).contains("play: name='" + name + "'")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("ffprobe never started playing " + name + " on nginx; see " + log);
            }
            Thread.sleep(20); // polling pace; the log decides
        }
    }

    /** Publishes tags to {@code url} paced in real time by their timestamps, on its own thread. */
    static final class Publisher implements AutoCloseable {
        private final Thread thread;
        private volatile Exception failure;
        private volatile boolean done;

        Publisher(String url, List<FlvReader.Tag> tags) {
            thread = Thread.ofVirtual().name("test publisher " + url).start(() -> {
                RtmpUrl u = RtmpUrl.parse(url);
                try (RtmpClient c = RtmpClient.connect(u, ClientOptions.DEFAULT)) {
                    int id = c.publish(u.streamName());
                    long start = System.nanoTime();
                    for (FlvReader.Tag t : tags) {
                        long due = start + t.timestampMs() * 1_000_000;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing to the media clock
                        }
                        send(c, id, t);
                    }
                    c.flush();
                    c.unpublish(u.streamName(), id);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    failure = e;
                } finally {
                    done = true;
                }
            });
        }

        boolean done() {
            return done;
        }

        void join() throws Exception {
            thread.join();
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }

    static void send(RtmpClient c, int streamId, FlvReader.Tag t) throws IOException {
        byte[] body = t.body();
        int csid = t.type() == 8 ? ChunkStreams.AUDIO : ChunkStreams.VIDEO;
        if (t.type() == 18) {
            byte[] frame = new Amf0Writer().write(new AmfValue.Str("@setDataFrame")).toByteArray();
            byte[] joined = new byte[frame.length + body.length];
            System.arraycopy(frame, 0, joined, 0, frame.length);
            System.arraycopy(body, 0, joined, frame.length, body.length);
            body = joined;
            csid = ChunkStreams.DATA;
        }
        c.send(new RawMessage(csid, t.type(), streamId, t.timestampMs(), body), true);
    }

    /** Tags of {@code b} appended after those of {@code a}, its timestamps continuing from {@code a}'s end. */
    static List<FlvReader.Tag> concat(List<FlvReader.Tag> a, List<FlvReader.Tag> b) {
        long offset = a.stream().mapToLong(FlvReader.Tag::timestampMs).max().orElse(0) + 40;
        List<FlvReader.Tag> out = new ArrayList<>(a);
        b.stream().filter(t -> t.type() != 18)
                .forEach(t -> out.add(new FlvReader.Tag(t.type(), t.timestampMs() + offset, t.body())));
        return out;
    }

    /** One packet as ffprobe lists it. */
    record Packet(String codecType, double ptsSeconds, int sizeBytes, boolean keyframe) {}

    /** What ffprobe saw of a stream: its streams' codec, size, and packets. */
    record Probe(List<java.util.Map<String, String>> streams, List<Packet> packets, String raw) {
        java.util.Map<String, String> stream(String codecType) {
            return streams.stream().filter(s -> codecType.equals(s.get("codec_type"))).findFirst().orElse(null);
        }

        List<Packet> packets(String codecType) {
            return packets.stream().filter(p -> p.codecType().equals(codecType)).toList();
        }
    }

    /** An ffprobe started on {@code url} for about {@code seconds} of media; it waits for the stream to appear. */
    static final class ProbeRun implements AutoCloseable {
        private final ExternalPeer process;
        private final Path log;

        ProbeRun(Path dir, String url, int seconds) throws IOException {
            log = dir.resolve("ffprobe-" + System.nanoTime() + ".txt");
            process = ExternalPeer.start(log, List.of(ExternalPeer.require("ffprobe").toString(),
                    "-v", "error", "-rw_timeout", "20000000", "-read_intervals", "%+" + seconds,
                    "-show_entries", "stream=codec_type,codec_name,width,height,profile:packet=codec_type,pts_time,size,flags",
                    "-of", "compact=p=1:nk=0", url));
        }

        Probe result() throws IOException {
            process.awaitExit();
            String out = Files.readString(log);
            List<java.util.Map<String, String>> streams = new ArrayList<>();
            List<Packet> packets = new ArrayList<>();
            for (String line : out.split("\n")) {
                java.util.Map<String, String> kv = new java.util.HashMap<>();
                String[] parts = line.strip().split("\\|");
                for (int i = 1; i < parts.length; i++) {
                    int eq = parts[i].indexOf('=');
                    if (eq > 0) {
                        kv.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
                    }
                }
                if (parts[0].equals("stream")) {
                    streams.add(kv);
                } else if (parts[0].equals("packet") && !"N/A".equals(kv.get("pts_time"))) {
                    packets.add(new Packet(kv.get("codec_type"), Double.parseDouble(kv.get("pts_time")),
                            Integer.parseInt(kv.get("size")), kv.getOrDefault("flags", "").startsWith("K")));
                }
            }
            return new Probe(streams, packets, out.length() > 3000 ? out.substring(0, 3000) : out);
        }

        @Override
        public void close() {
            process.close();
        }
    }

    /** Samples this JVM's descendants until closed and remembers any ffmpeg among them. */
    static final class ChildWatch implements AutoCloseable {
        private final Set<String> ffmpegSeen = ConcurrentHashMap.newKeySet();
        private final Thread thread;

        ChildWatch() {
            thread = Thread.ofPlatform().daemon().name("child watch").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    ProcessHandle.current().descendants().forEach(h -> h.info().command()
                            .filter(c -> Path.of(c).getFileName().toString().equals("ffmpeg"))
                            .ifPresent(c -> ffmpegSeen.add(h.pid() + " " + c)));
                    try {
                        Thread.sleep(50); // sampling pace
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        Set<String> ffmpegSeen() {
            return Set.copyOf(ffmpegSeen);
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
