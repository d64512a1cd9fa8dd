package io.loomcast.gateway.hub;

/** What a subscriber's queue carries, in order: frames, and notices of the source coming and going. */
public sealed interface Delivery permits Frame, StreamNotice {}
