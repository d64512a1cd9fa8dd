package io.loomcast.gateway.api;

import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.routing.Relay;
import io.loomcast.gateway.session.RtmpServer;
import io.loomcast.gateway.transcode.RenditionStatus;
import io.loomcast.gateway.transcode.Transcoder;
import java.util.List;
import java.util.Optional;

/** What the control plane reads from and hands writes to: the running gateway, as the command line assembled it. */
public interface GatewayControl {
    StreamHub hub();

    RtmpServer rtmp();

    Relay relay();

    /** The transcoder, while some rendition may run. */
    Optional<Transcoder> runningTranscoder();

    /** Every rendition running now, with its counters. */
    default List<RenditionStatus> renditions() {
        return runningTranscoder().map(Transcoder::renditions).orElse(List.of());
    }

    /** The config in force (the file's, with the API's changes over it). */
    GatewayConfig config();

    /**
     * The reconciler: makes the running pulls, pushes and renditions match {@code next}, leaving the rest alone.
     *
     * @throws IllegalArgumentException when {@code next} cannot run (a profile these natives cannot encode)
     */
    void reload(GatewayConfig next);

    /** Whether the FFmpeg natives are loaded, or not needed by the config in force. */
    boolean nativesReady();
}
