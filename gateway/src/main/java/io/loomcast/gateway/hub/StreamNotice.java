package io.loomcast.gateway.hub;

/**
 * A change of a stream's source, queued in order with the frames so a player learns of it at the right
 * point: a player answers {@link #SOURCE_STARTED} with Stream Begin and {@link #SOURCE_ENDED} with
 * NetStream.Play.UnpublishNotify, and stays subscribed across both. {@link #SOURCE_ENDED} comes once the
 * unpublish grace has run out without a new source; a source back within it makes neither notice.
 */
public enum StreamNotice implements Delivery {
    SOURCE_STARTED,
    SOURCE_ENDED
}
