package io.loomcast.gateway.transcode;

import io.loomcast.gateway.config.VideoProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FFmpeg natives, loaded once per process: where JavaCPP extracts them, the memory guard it applies, the
 * log bridge, and which encoders this build holds (the LGPL natives have libopenh264 and aac; the
 * {@code -Pgpl} natives add libx264).
 */
public final class FfmpegRuntime {
    private static final Logger log = LoggerFactory.getLogger(FfmpegRuntime.class);
    private static final String CACHE_DIR_PROPERTY = "org.bytedeco.javacpp.cachedir";
    private static final String MAX_PHYSICAL_PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";
    private static final ReentrantLock LOADING = new ReentrantLock();
    /** Process-wide by nature: natives load once, and FFmpeg has one log callback. */
    private static FfmpegRuntime loaded;

    private final String version;
    private final String license;
    private final Path cacheDir;
    @SuppressWarnings("unused") // reachable for as long as FFmpeg may call it
    private final FfmpegLog logBridge;

    private FfmpegRuntime(String version, String license, Path cacheDir, FfmpegLog logBridge) {
        this.version = version;
        this.license = license;
        this.cacheDir = cacheDir;
        this.logBridge = logBridge;
    }

    /**
     * Loads the natives (once; later calls return the same runtime). {@code cacheDir} is where JavaCPP
     * extracts them, unless {@code -Dorg.bytedeco.javacpp.cachedir} already says. It must be writable, or hold
     * the natives already (a container image extracts them at build time, {@code gateway natives}, into a
     * directory the gateway then only reads).
     */
    public static FfmpegRuntime load(Optional<Path> cacheDir) throws TranscodeException {
        LOADING.lock();
        try {
            if (loaded != null) {
                return loaded;
            }
            if (cacheDir.isPresent() && System.getProperty(CACHE_DIR_PROPERTY) == null) {
                System.setProperty(CACHE_DIR_PROPERTY, cacheDir.get().toAbsolutePath().toString());
            }
            Path dir = Path.of(System.getProperty(CACHE_DIR_PROPERTY,
                    Path.of(System.getProperty("user.home"), ".javacpp", "cache").toString()));
            boolean readOnly = !writable(dir);
            // JavaCPP refuses allocations once the process RSS passes maxPhysicalBytes (default 2 x -Xmx). FFmpeg's
            // own buffers count in RSS but not in the heap, so a healthy gateway with a small heap would die with
            // OutOfMemoryError. Read when Pointer initialises, so it must be set before any native call.
            if (System.getProperty(MAX_PHYSICAL_PROPERTY) == null) {
                System.setProperty(MAX_PHYSICAL_PROPERTY, "0");
            }
            long started = System.nanoTime();
            try {
                Loader.load(avcodec.class);
                Loader.load(org.bytedeco.ffmpeg.global.swscale.class);
                Loader.load(org.bytedeco.ffmpeg.global.swresample.class);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                throw new TranscodeException(readOnly ? "the FFmpeg native cache " + dir + " is not writable and "
                        + "does not hold these natives (" + e.getMessage() + "); set transcode.nativeCacheDir to a "
                        + "writable directory, or fill it at build time with gateway natives --cache-dir, see "
                        + "docs/transcoding.md" : "cannot load the FFmpeg natives into " + dir + ": " + e.getMessage());
            }
            FfmpegLog bridge = FfmpegLog.install();
            String version = org.bytedeco.ffmpeg.global.avutil.av_version_info().getString();
            String license = avcodec.avcodec_license().getString();
            log.info("FFmpeg {} natives loaded from {}{} in {} ms ({}; maxPhysicalBytes {})", version, dir,
                    readOnly ? " (read-only)" : "",
                    (System.nanoTime() - started) / 1_000_000, license, Pointer.maxPhysicalBytes() == 0 ? "unlimited"
                            : Pointer.maxPhysicalBytes());
            loaded = new FfmpegRuntime(version, license, dir, bridge);
            return loaded;
        } finally {
            LOADING.unlock();
        }
    }

    /**
     * Whether JavaCPP may extract into {@code dir}. A directory it may not write is still used: JavaCPP takes
     * natives already there when their size and time match the jar's, and fails the load otherwise.
     */
    private static boolean writable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".probe", "");
            Files.delete(probe);
            return true;
        } catch (IOException | SecurityException e) {
            log.info("the FFmpeg native cache {} is not writable ({}): using the natives already in it", dir,
                    e.getClass().getSimpleName());
            return false;
        }
    }

    /** FFmpeg's version, e.g. {@code 8.0.1}. */
    public String version() {
        return version;
    }

    /** avcodec_license(): LGPL or GPL, as the natives were configured. */
    public String license() {
        return license;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** Whether these natives hold an encoder called {@code name}. */
    public boolean hasEncoder(String name) {
        AVCodec c = avcodec.avcodec_find_encoder_by_name(name);
        return c != null && !c.isNull();
    }

    /**
     * The FFmpeg encoder a profile gets. {@code auto} is libx264 when the GPL natives are on the class path
     * (better quality per bit, B-frames, presets), else libopenh264. A named encoder must be in these natives.
     */
    public String h264Encoder(VideoProfile.Encoder requested) throws TranscodeException {
        if (requested != VideoProfile.Encoder.AUTO) {
            if (!hasEncoder(requested.configName())) {
                throw new TranscodeException("encoder " + requested.configName() + " is not in these FFmpeg natives ("
                        + license + ")" + (requested == VideoProfile.Encoder.LIBX264
                                ? "; build with -Pgpl for libx264, or use encoder: libopenh264" : ""));
            }
            return requested.configName();
        }
        return hasEncoder("libx264") ? "libx264" : "libopenh264";
    }

    /** Why {@link #h264Encoder} picks what it picks for {@code auto}, for the log. */
    public String autoReason() {
        return hasEncoder("libx264") ? "the GPL natives are on the class path"
                : "libx264 is not in the LGPL natives (build with -Pgpl for it)";
    }
}
