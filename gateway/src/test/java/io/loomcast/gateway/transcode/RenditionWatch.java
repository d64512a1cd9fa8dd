package io.loomcast.gateway.transcode;

import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.hub.StreamNotice;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.MediaFrame;
import java.util.List;

/**
 * Watches a rendition from inside the hub as a passive subscriber (like a push: it is no player, so it starts
 * nothing), counting what would show a restart: the source notices, and each track's sequence headers.
 */
final class RenditionWatch implements AutoCloseable {
    private final HubRecorder recorder;

    RenditionWatch(StreamHub hub, String rendition) {
        recorder = HubRecorder.subscribePassive(hub, rendition);
    }

    private List<MediaFrame> track(Frame.Kind kind) {
        return recorder.frames().stream().filter(f -> f.kind() == kind).toList();
    }

    private int notices(StreamNotice n) {
        return (int) recorder.recorded().notes().stream().filter(n.name()::equals).count();
    }

    int started() {
        return notices(StreamNotice.SOURCE_STARTED);
    }

    int ended() {
        return notices(StreamNotice.SOURCE_ENDED);
    }

    int videoHeaders() {
        return (int) track(Frame.Kind.VIDEO).stream().filter(MediaFrame::config).count();
    }

    int videoFrames() {
        return (int) track(Frame.Kind.VIDEO).stream().filter(f -> !f.config()).count();
    }

    int audioHeaders() {
        return (int) track(Frame.Kind.AUDIO).stream().filter(MediaFrame::config).count();
    }

    int audioFrames() {
        return (int) track(Frame.Kind.AUDIO).stream().filter(f -> !f.config()).count();
    }

    /** Whether the first picture after the sequence header was a keyframe; null before any. */
    Boolean videoStartedWithKeyframe() {
        return track(Frame.Kind.VIDEO).stream().filter(f -> !f.config()).findFirst().map(MediaFrame::keyframe)
                .orElse(null);
    }

    /** Whether the first audio message was a sequence header, as a player needs; null before any audio. */
    Boolean audioStartedWithHeader() {
        return track(Frame.Kind.AUDIO).stream().findFirst().map(MediaFrame::config).orElse(null);
    }

    @Override
    public String toString() {
        return "started %d, ended %d, video %d headers + %d frames, audio %d headers + %d frames (first a header: %s)"
                .formatted(started(), ended(), videoHeaders(), videoFrames(), audioHeaders(), audioFrames(),
                        audioStartedWithHeader());
    }

    @Override
    public void close() {
        recorder.close();
    }
}
