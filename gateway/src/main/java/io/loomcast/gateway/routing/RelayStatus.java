package io.loomcast.gateway.routing;

/**
 * A snapshot of one pull or push for the API and tests.
 *
 * @param kind          {@code pull} or {@code push}
 * @param stream        the local stream, {@code app/name}
 * @param url           the remote URL, redacted
 * @param state         where it is now
 * @param connects      successful connections so far
 * @param failures      failed attempts so far
 * @param lastError     why the last attempt failed, or empty
 * @param frames        media messages relayed
 * @param bytes         payload bytes relayed
 * @param droppedFrames frames a slow destination skipped (pushes)
 * @param routeId       the id of the route it runs for (pushes; empty for pulls)
 * @param pushId        the push's id within its route (pushes; empty for pulls)
 */
public record RelayStatus(String kind, String stream, String url, RelayState state, long connects, long failures,
        String lastError, long frames, long bytes, long droppedFrames, String routeId, String pushId) {

    /** Without ids: a pull. */
    public RelayStatus(String kind, String stream, String url, RelayState state, long connects, long failures,
            String lastError, long frames, long bytes, long droppedFrames) {
        this(kind, stream, url, state, connects, failures, lastError, frames, bytes, droppedFrames, "", "");
    }
}
