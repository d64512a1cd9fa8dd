package io.loomcast.gateway.testing;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ffmpeg playing a URL into a pipe, FLV flushed packet by packet ({@code -flush_packets 1}), read here on a
 * platform thread that notes when each tag arrives and copies the stream to a file. So the frame rate a real
 * player sees can be measured in wall-clock time, without the test JVM's virtual-thread scheduler in between.
 */
public final class PipedFfmpegPlayer implements AutoCloseable {
    /** When a video tag (FLV type 9) arrived, and its timestamp. */
    public record Arrival(long timestampMs, long arrivalNanos) {}

    private final Process process;
    private final Path flv;
    private final Path log;
    private final Thread reader;
    private final List<Arrival> video = new ArrayList<>();
    private volatile IOException failure;

    private PipedFfmpegPlayer(Process process, Path flv, Path log) {
        this.process = process;
        this.flv = flv;
        this.log = log;
        this.reader = Thread.ofPlatform().name("ffmpeg-pipe").start(this::read);
    }

    /** ffmpeg {@code extraInputOptions} -i url, copied to FLV on stdout. */
    public static PipedFfmpegPlayer start(String url, Path flv, Path log, List<String> extraInputOptions)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ExternalPeer.require("ffmpeg").toString(), "-hide_banner",
                "-loglevel", "warning", "-nostdin"));
        cmd.addAll(extraInputOptions);
        cmd.addAll(List.of("-i", url, "-c", "copy", "-copyts", "-copyinkf", "-flush_packets", "1", "-f", "flv",
                "pipe:1"));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return new PipedFfmpegPlayer(p, flv, log);
    }

    private void read() {
        try (DataInputStream in = new DataInputStream(process.getInputStream());
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(flv))) {
            byte[] header = new byte[13]; // FLV header (9) and the first PreviousTagSize (4)
            in.readFully(header);
            out.write(header);
            byte[] tagHeader = new byte[11];
            while (true) {
                try {
                    in.readFully(tagHeader);
                } catch (EOFException e) {
                    return;
                }
                long now = System.nanoTime();
                int type = tagHeader[0] & 0x1F;
                int size = (tagHeader[1] & 0xFF) << 16 | (tagHeader[2] & 0xFF) << 8 | tagHeader[3] & 0xFF;
                long ts = (tagHeader[7] & 0xFFL) << 24 | (tagHeader[4] & 0xFFL) << 16 | (tagHeader[5] & 0xFFL) << 8
                        | tagHeader[6] & 0xFFL;
                byte[] body = new byte[size + 4];
                in.readFully(body);
                out.write(tagHeader);
                out.write(body);
                if (type == 9) {
                    synchronized (video) {
                        video.add(new Arrival(ts, now));
                    }
                }
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** The video tags' arrivals so far. */
    public List<Arrival> video() {
        synchronized (video) {
            return List.copyOf(video);
        }
    }

    /** Waits for ffmpeg to exit and the pipe to drain; returns ffmpeg's exit status. */
    public int awaitExit(java.time.Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("ffmpeg still running after " + timeout + ":\n" + Files.readString(log));
        }
        reader.join(timeout.toMillis());
        if (failure != null) {
            throw failure;
        }
        return process.exitValue();
    }

    /** The FLV as received. */
    public Path file() {
        return flv;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
