package io.loomcast.benchmarks.transcode;

import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.TranscodeProfile;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.GopCacheLimits;
import io.loomcast.gateway.hub.Publication;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.routing.RoutingTable;
import io.loomcast.gateway.transcode.FfmpegRuntime;
import io.loomcast.gateway.transcode.OfflineTranscode;
import io.loomcast.gateway.transcode.Transcoder;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.Pointer;

/**
 * The transcode benchmarks (benchmarks/transcode/run.sh drives them and the ffmpeg CLI baselines):
 * <ul>
 *   <li>{@code speed IN.flv ENCODER}: 720p to 360p as fast as possible, frames per second;</li>
 *   <li>{@code two IN.flv ENCODER}: decode once, encode 720p and 360p; CPU seconds of this process;</li>
 *   <li>{@code soak IN.flv SECONDS}: live 720p to 360p in real time, the input looped; RSS and JavaCPP's
 *       Pointer.totalBytes at the start and the end.</li>
 * </ul>
 */
public final class TranscodeBench {
    private TranscodeBench() {}

    public static void main(String[] args) throws Exception {
        List<FlvReader.Tag> tags = read(Path.of(args[1]));
        FfmpegRuntime ffmpeg = FfmpegRuntime.load(Optional.empty());
        switch (args[0]) {
            case "speed" -> offline(ffmpeg, tags, List.of("p360"), args[2]);
            case "two" -> offline(ffmpeg, tags, List.of("p720", "p360"), args[2]);
            case "soak" -> soak(ffmpeg, tags, Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("speed | two | soak");
        }
    }

    private static GatewayConfig config(String encoder) throws Exception {
        return ConfigLoader.parse("""
                transcode:
                  profiles:
                    p720:
                      video: {width: 1280, height: 720, fps: 30, bitrate: 2500k, maxrate: 3000k, gop: 2s,
                              preset: veryfast, profile: high, encoder: %1$s}
                    p360:
                      video: {width: 640, height: 360, fps: 30, bitrate: 800k, gop: 2s,
                              preset: veryfast, profile: high, encoder: %1$s}
                routes:
                  - stream: bench/src
                    push: [{url: "rtmp://127.0.0.1:9/x/y", transcode: p360}]
                """.formatted(encoder), "bench.yaml", Map.of());
    }

    private static void offline(FfmpegRuntime ffmpeg, List<FlvReader.Tag> tags, List<String> names, String encoder)
            throws Exception {
        GatewayConfig c = config(encoder);
        List<TranscodeProfile> profiles = names.stream().map(n -> c.transcode().profiles().get(n)).toList();
        var os = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
        // One short warm-up so JIT and codec initialisation are not charged to the measured run.
        OfflineTranscode.run(ffmpeg, new StreamHub(GopCacheLimits.OFF), "bench/warm", profiles,
                tags.subList(0, Math.min(tags.size(), 300)));
        long cpu0 = os.getProcessCpuTime();
        OfflineTranscode.Result r = OfflineTranscode.run(ffmpeg, new StreamHub(GopCacheLimits.OFF), "bench/src",
                profiles, tags);
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        double wall = r.wallNanos() / 1e9;
        long frames = tags.stream().filter(t -> t.type() == 9).count() - 1;
        System.out.printf("RESULT in-process %s encoder=%s frames=%d wall=%.2fs fps=%.1f cpu=%.2fs encoded=%d%n",
                String.join("+", names), encoder, frames, wall, frames / wall, cpu, r.encodedVideoFrames());
    }

    private static void soak(FfmpegRuntime ffmpeg, List<FlvReader.Tag> tags, int seconds) throws Exception {
        StreamHub hub = new StreamHub(GopCacheLimits.DEFAULT);
        GatewayConfig c = config("auto");
        try (Transcoder t = new Transcoder(hub, ffmpeg, QueueLimits.DEFAULT)) {
            t.apply(RoutingTable.from(c));
            Publication p = hub.publish("bench/src", "soak").orElseThrow();
            long loopMs = tags.get(tags.size() - 1).timestampMs() + 33;
            long start = System.nanoTime();
            long deadline = start + seconds * 1_000_000_000L;
            long nextSample = start + 30_000_000_000L;
            String first = null;
            boolean headers = true;
            for (int loop = 0; System.nanoTime() < deadline; loop++) {
                for (FlvReader.Tag tag : tags) {
                    long ts = loop * loopMs + tag.timestampMs();
                    long wait = start + ts * 1_000_000 - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    Frame f = frameOf(tag);
                    if (f == null || (!headers && f.config())) {
                        continue; // sequence headers once, as a live publisher sends them
                    }
                    p.push(f.kind(), ts, f.payload(), f.keyframe(), f.config());
                    if (System.nanoTime() > nextSample) {
                        String s = sample(t);
                        System.out.println("SAMPLE t=" + (System.nanoTime() - start) / 1_000_000_000 + "s " + s);
                        first = first == null ? s : first;
                        nextSample += 60_000_000_000L;
                    }
                    if (System.nanoTime() > deadline) {
                        break;
                    }
                }
                headers = false;
            }
            System.out.println("RESULT soak start " + first);
            System.out.println("RESULT soak end   " + sample(t) + " after " + seconds + " s");
            p.close();
        }
    }

    private static String sample(Transcoder t) throws Exception {
        long rssKb = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1);
        Runtime rt = Runtime.getRuntime();
        return "rss=%.1fMiB heapCommitted=%.1fMiB heapUsed=%.1fMiB pointerTotalBytes=%d physicalBytes=%.1fMiB encoded=%d dropped=%d"
                .formatted(rssKb / 1024.0, rt.totalMemory() / 1048576.0, (rt.totalMemory() - rt.freeMemory()) / 1048576.0,
                        Pointer.totalBytes(), Pointer.physicalBytes() / 1048576.0, t.metrics().encodedVideoFrames(),
                        t.metrics().droppedFrames());
    }

    private static Frame frameOf(FlvReader.Tag t) throws Exception {
        return switch (t.type()) {
            case 9 -> {
                var v = FlvTags.parseVideo(t.body());
                yield Frame.video(t.timestampMs(), t.body(), v.isKeyframe() && !v.isSequenceHeader(), v.isSequenceHeader());
            }
            case 8 -> Frame.audio(t.timestampMs(), t.body(), FlvTags.parseAudio(t.body()).isSequenceHeader());
            default -> null;
        };
    }

    private static List<FlvReader.Tag> read(Path file) throws Exception {
        List<FlvReader.Tag> tags = new ArrayList<>();
        try (FlvReader r = new FlvReader(Files.newInputStream(file), 1 << 24)) {
            for (FlvReader.Tag t; (t = r.next()) != null; ) {
                tags.add(t);
            }
        }
        return tags;
    }
}
