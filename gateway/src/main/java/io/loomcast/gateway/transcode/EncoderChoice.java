package io.loomcast.gateway.transcode;

import io.loomcast.gateway.config.AudioProfile;
import io.loomcast.gateway.config.TranscodeProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which FFmpeg H.264 encoder each profile gets: looked up once per profile, and logged with the reason. */
final class EncoderChoice {
    private static final Logger log = LoggerFactory.getLogger(Transcoder.class);

    private final FfmpegRuntime ffmpeg;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<TranscodeProfile, String> chosen = new HashMap<>();

    EncoderChoice(FfmpegRuntime ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /**
     * The encoder's FFmpeg name; fails when these natives do not hold the one the profile names, or when it
     * cannot encode a test picture here ({@link VideoEncoder#probe}).
     */
    String encoderFor(TranscodeProfile p) throws TranscodeException {
        lock.lock();
        try {
            String name = chosen.get(p);
            if (name == null) {
                name = ffmpeg.h264Encoder(p.video().encoder());
                VideoEncoder.probe(name, p.video());
                chosen.put(p, name);
                String why = switch (p.video().encoder()) {
                    case AUTO -> "encoder: auto, and " + ffmpeg.autoReason();
                    default -> "named in the profile";
                };
                log.info("transcode profile {}: H.264 encoder {} ({}); audio {}", p.name(), name, why,
                        p.audio() instanceof AudioProfile.Encode e
                                ? "re-encoded to AAC " + e.bitrate() + " " + e.sampleRateHz() + " Hz " + e.channels() + " ch"
                                : "copied");
            }
            return name;
        } finally {
            lock.unlock();
        }
    }
}
