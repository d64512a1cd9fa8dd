package io.loomcast.gateway.protocol.message;

/**
 * A protocol control message (RTMP 5.4): it changes how the chunk stream itself behaves. Applied in one place
 * by the connection, never by session logic. Sent on chunk stream 2, message stream 0, timestamp 0.
 */
public sealed interface ControlMessage extends Message
        permits SetChunkSize, Abort, Acknowledgement, WindowAcknowledgementSize, SetPeerBandwidth {}
