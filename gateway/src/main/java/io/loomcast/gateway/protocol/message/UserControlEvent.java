package io.loomcast.gateway.protocol.message;

/**
 * A User Control message (type 4, RTMP 6.2): a 2-byte event type, then event data (RTMP 7.1.7). One record per
 * event the spec defines; any other event type, including the undocumented ones real servers send, is kept as
 * an {@link UnparsedEvent}. Sent on chunk stream 2, message stream 0, timestamp 0.
 */
public sealed interface UserControlEvent extends Message
        permits StreamBegin, StreamEof, StreamDry, SetBufferLength, StreamIsRecorded, PingRequest, PingResponse,
                UnparsedEvent {}
