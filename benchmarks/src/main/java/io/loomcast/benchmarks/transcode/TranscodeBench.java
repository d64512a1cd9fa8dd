package io.loomcast.benchmarks.transcode;

import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.TranscodeProfile;
import io.loomcast.gateway.hub.Delivery;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.GopCacheLimits;
import io.loomcast.gateway.hub.Publication;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.hub.SubscriberQueue;
import io.loomcast.gateway.hub.Subscription;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.FlvWriter;
import io.loomcast.gateway.routing.RoutingTable;
import io.loomcast.gateway.transcode.FfmpegRuntime;
import io.loomcast.gateway.transcode.OfflineTranscode;
import io.loomcast.gateway.transcode.Transcoder;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Pointer;

/**
 * The transcode benchmarks (benchmarks/transcode/run.sh drives them and the ffmpeg CLI baselines):
 * <ul>
 *   <li>{@code speed IN.flv ENCODER}: 720p to 360p as fast as possible, frames per second;</li>
 *   <li>{@code two IN.flv ENCODER}: decode once, encode 720p and 360p; CPU seconds of this process;</li>
 *   <li>{@code quality IN.flv ENCODER OUTDIR}: the same two renditions, written to OUTDIR/ours-p720.flv and
 *       OUTDIR/ours-p360.flv for run.sh to compare with the ffmpeg CLI's;</li>
 *   <li>{@code soak IN.flv SECONDS}: live 720p to 360p in real time, the input looped; RSS and JavaCPP's
 *       Pointer.totalBytes at the start and the end.</li>
 * </ul>
 * speed, two and quality take trailing options: {@code scaler=NAME} sets both profiles' {@code video.scaler}
 * (default: the gateway's), {@code cascade=on|off} sets {@code transcode.cascadeScaling} (default on: the 360p
 * rendition is scaled from the 720p picture when the source is larger than 720p).
 */
public final class TranscodeBench {
    /** A recording subscriber's queue: the whole run fits (a minute of both renditions is about 25 MB). */
    private static final QueueLimits KEEP_ALL = new QueueLimits(1L << 30, 3_600_000, Duration.ofHours(1));

    private TranscodeBench() {}

    public static void main(String[] args) throws Exception {
        List<FlvReader.Tag> tags = read(Path.of(args[1]));
        FfmpegRuntime ffmpeg = FfmpegRuntime.load(Optional.empty());
        // Trailing key=value options: scaler=NAME (video.scaler, default the gateway's), cascade=on|off.
        Map<String, String> options = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq > 0) {
                options.put(a.substring(0, eq), a.substring(eq + 1));
            } else {
                positional.add(a);
            }
        }
        String scaler = options.getOrDefault("scaler", "");
        String cascade = options.getOrDefault("cascade", "on");
        switch (positional.get(0)) {
            case "speed" -> offline(ffmpeg, tags, List.of("p360"), positional.get(2), scaler, cascade, null);
            case "two" -> offline(ffmpeg, tags, List.of("p720", "p360"), positional.get(2), scaler, cascade, null);
            case "quality" -> offline(ffmpeg, tags, List.of("p720", "p360"), positional.get(2), scaler, cascade,
                    Path.of(positional.get(3)));
            case "soak" -> soak(ffmpeg, tags, Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("speed | two | quality | soak");
        }
    }

    /** @param scaler video.scaler for both profiles, or "" for the gateway's default */
    private static GatewayConfig config(String encoder, String scaler, String cascade) throws Exception {
        if (!cascade.equals("on") && !cascade.equals("off")) {
            throw new IllegalArgumentException("cascade is on or off, not " + cascade);
        }
        String scalerKey = scaler.isEmpty() ? "" : ", scaler: " + scaler;
        return ConfigLoader.parse("""
                transcode:
                  cascadeScaling: %3$s
                  profiles:
                    p720:
                      video: {width: 1280, height: 720, fps: 30, bitrate: 2500k, maxrate: 3000k, gop: 2s,
                              preset: veryfast, profile: high, encoder: %1$s%2$s}
                    p360:
                      video: {width: 640, height: 360, fps: 30, bitrate: 800k, gop: 2s,
                              preset: veryfast, profile: high, encoder: %1$s%2$s}
                routes:
                  - stream: bench/src
                    push: [{url: "rtmp://127.0.0.1:9/x/y", transcode: p360}]
                """.formatted(encoder, scalerKey, cascade.equals("on")), "bench.yaml", Map.of());
    }

    /** @param outDir where to write the renditions (quality), or null to discard them (speed, two) */
    private static void offline(FfmpegRuntime ffmpeg, List<FlvReader.Tag> tags, List<String> names, String encoder,
            String scaler, String cascade, Path outDir) throws Exception {
        GatewayConfig c = config(encoder, scaler, cascade);
        boolean cascadeOn = c.transcode().cascadeScaling();
        List<TranscodeProfile> profiles = names.stream().map(n -> c.transcode().profiles().get(n)).toList();
        var os = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
        if (outDir == null) {
            // One short warm-up so JIT and codec initialisation are not charged to the measured run.
            OfflineTranscode.run(ffmpeg, new StreamHub(GopCacheLimits.OFF), "bench/warm", profiles,
                    tags.subList(0, Math.min(tags.size(), 300)), cascadeOn);
        }
        StreamHub hub = new StreamHub(GopCacheLimits.OFF);
        Map<String, Subscription> recorded = new LinkedHashMap<>();
        if (outDir != null) {
            for (String n : names) {
                recorded.put(n, hub.subscribePassive("bench/src@" + n, "quality", KEEP_ALL,
                        SubscriberQueue.Listener.NONE));
            }
        }
        long cpu0 = os.getProcessCpuTime();
        OfflineTranscode.Result r = OfflineTranscode.run(ffmpeg, hub, "bench/src", profiles, tags, cascadeOn);
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        double wall = r.wallNanos() / 1e9;
        long frames = tags.stream().filter(t -> t.type() == 9).count() - 1;
        System.out.printf("RESULT in-process %s encoder=%s scaler=%s cascade=%s frames=%d wall=%.2fs fps=%.1f cpu=%.2fs "
                + "encoded=%d cascaded=%d%n", String.join("+", names), encoder,
                profiles.getFirst().video().scaler().configName(), cascade, frames, wall, frames / wall, cpu,
                r.encodedVideoFrames(), r.cascadedPictures());
        for (Map.Entry<String, Subscription> e : recorded.entrySet()) {
            Path file = outDir.resolve("ours-" + e.getKey() + ".flv");
            long written = write(e.getValue(), file);
            System.out.println("WROTE " + file + " (" + written + " tags)");
        }
    }

    /** Writes what a rendition's subscription holds (the run has ended, so it is all there) to an FLV file. */
    private static long write(Subscription s, Path file) throws Exception {
        long n = 0;
        try (FlvWriter w = new FlvWriter(Files.newOutputStream(file), true, true)) {
            for (List<Delivery> batch; (batch = s.queue().take(1000, 200, TimeUnit.MILLISECONDS)) != null
                    && !batch.isEmpty(); ) {
                for (Delivery d : batch) {
                    if (d instanceof Frame f && f.kind() != Frame.Kind.DATA) {
                        w.write(f.kind() == Frame.Kind.AUDIO ? 8 : 9, f.timestampMs(), f.payload());
                        n++;
                    }
                }
            }
        } finally {
            s.close();
        }
        return n;
    }

    private static void soak(FfmpegRuntime ffmpeg, List<FlvReader.Tag> tags, int seconds) throws Exception {
        StreamHub hub = new StreamHub(GopCacheLimits.DEFAULT);
        GatewayConfig c = config("auto", "", "on");
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
