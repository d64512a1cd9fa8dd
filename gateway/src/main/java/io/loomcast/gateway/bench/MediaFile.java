package io.loomcast.gateway.bench;

import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.VideoCodec;
import io.loomcast.gateway.media.VideoPacketKind;
import io.loomcast.gateway.media.VideoTag;
import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.Amf0Writer;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.message.ChunkStreams;
import io.loomcast.gateway.protocol.message.MessageTypes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An FLV file read once into memory and shared by every publisher: its tags as RTMP message payloads, with
 * times relative to the first tag. Only tag headers are parsed (to tell configuration from frames). A video
 * end-of-sequence tag is left out, since a looping publisher's stream goes on after it.
 */
public final class MediaFile {
    /** Files larger than this are refused: every tag stays in memory for the whole run. */
    public static final long MAX_FILE_BYTES = 512L * 1024 * 1024;
    private static final int MAX_TAG_BYTES = 16 * 1024 * 1024;
    private static final long DEFAULT_FRAME_MS = 40;

    /**
     * One tag as a publisher sends it.
     *
     * @param typeId     RTMP message type: 8 audio, 9 video, 18 data
     * @param relativeMs timestamp relative to the file's first tag
     * @param body       the payload; script data already wrapped in {@code @setDataFrame}
     * @param config     metadata or a sequence header: sent once, not again on each loop
     * @param videoFrame a coded video frame (counted as a frame)
     */
    record Tag(int typeId, int chunkStreamId, long relativeMs, byte[] body, boolean config, boolean videoFrame) {}

    private final Path path;
    private final List<Tag> tags;
    private final long loopMs;
    private final long bytes;
    private final boolean avcWithFourByteLengths;

    private MediaFile(Path path, List<Tag> tags, long loopMs, long bytes, boolean avcWithFourByteLengths) {
        this.path = path;
        this.tags = List.copyOf(tags);
        this.loopMs = loopMs;
        this.bytes = bytes;
        this.avcWithFourByteLengths = avcWithFourByteLengths;
    }

    /** Reads the whole file. */
    public static MediaFile load(Path path) throws IOException {
        long size = Files.size(path);
        if (size > MAX_FILE_BYTES) {
            throw new IOException("%s is %d bytes; the limit is %d (every tag is kept in memory)"
                    .formatted(path, size, MAX_FILE_BYTES));
        }
        byte[] setDataFrame = new Amf0Writer().write(new AmfValue.Str("@setDataFrame")).toByteArray();
        List<Tag> tags = new ArrayList<>();
        long firstTs = -1;
        long lastTs = 0;
        long firstVideoTs = -1;
        long lastVideoTs = 0;
        int videoFrames = 0;
        long payloadBytes = 0;
        Boolean avcFourByte = null;
        try (FlvReader reader = new FlvReader(new BufferedInputStream(Files.newInputStream(path), 1 << 16),
                MAX_TAG_BYTES)) {
            for (FlvReader.Tag t; (t = reader.next()) != null; ) {
                firstTs = firstTs < 0 ? t.timestampMs() : firstTs;
                long relative = Math.max(0, t.timestampMs() - firstTs);
                lastTs = Math.max(lastTs, relative);
                Tag tag = switch (t.type()) {
                    case MessageTypes.AUDIO -> new Tag(MessageTypes.AUDIO, ChunkStreams.AUDIO, relative, t.body(),
                            t.body().length > 0 && FlvTags.parseAudio(t.body()).isSequenceHeader(), false);
                    case MessageTypes.VIDEO -> {
                        VideoTag v = FlvTags.parseVideo(t.body());
                        if (v.packetKind() == VideoPacketKind.SEQUENCE_END) {
                            // ffmpeg ends a file with one; a looping publisher's stream does not end there.
                            yield null;
                        }
                        if (v.codec() == VideoCodec.AVC && v.isSequenceHeader() && avcFourByte == null) {
                            // AVCDecoderConfigurationRecord byte 4: six reserved bits, lengthSizeMinusOne.
                            avcFourByte = v.payloadLength() > 4 && (t.body()[v.payloadOffset() + 4] & 3) == 3;
                        }
                        if (v.isCodedFrame()) {
                            firstVideoTs = firstVideoTs < 0 ? relative : firstVideoTs;
                            lastVideoTs = relative;
                            videoFrames++;
                        }
                        yield new Tag(MessageTypes.VIDEO, ChunkStreams.VIDEO, relative, t.body(),
                                !v.isCodedFrame(), v.isCodedFrame());
                    }
                    case MessageTypes.DATA_AMF0 -> {
                        byte[] body = new byte[setDataFrame.length + t.body().length];
                        System.arraycopy(setDataFrame, 0, body, 0, setDataFrame.length);
                        System.arraycopy(t.body(), 0, body, setDataFrame.length, t.body().length);
                        yield new Tag(MessageTypes.DATA_AMF0, ChunkStreams.DATA, relative, body, true, false);
                    }
                    default -> null;
                };
                if (tag != null) {
                    tags.add(tag);
                    payloadBytes += tag.body().length;
                }
            }
        } catch (ProtocolException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
        if (tags.stream().noneMatch(t -> !t.config())) {
            throw new IOException(path + " holds no audio or video frames");
        }
        long frameMs = videoFrames > 1 ? Math.max(1, (lastVideoTs - firstVideoTs) / (videoFrames - 1)) : DEFAULT_FRAME_MS;
        return new MediaFile(path, tags, lastTs + frameMs, payloadBytes, Boolean.TRUE.equals(avcFourByte));
    }

    public Path path() {
        return path;
    }

    List<Tag> tags() {
        return tags;
    }

    /** How long one pass of the file lasts: its last timestamp plus one frame interval. */
    public long loopMs() {
        return loopMs;
    }

    /** The payload bitrate of one pass, in kbit/s: what a publisher sends and a player should receive. */
    public double bitrateKbps() {
        return bytes * 8.0 / loopMs;
    }

    /**
     * Whether the video is H.264 in 4-byte-length NAL units, which latency mode needs to stamp frames
     * ({@link LatencyStamp}).
     */
    public boolean stampable() {
        return avcWithFourByteLengths;
    }
}
