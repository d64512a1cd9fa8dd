/**
 * RTMP messages as typed records, and their codec: bytes of one reassembled message in, a {@link
 * io.loomcast.gateway.protocol.message.Message} out, and back. No sockets, no threads, no state.
 *
 * <p>Entry points: {@link io.loomcast.gateway.protocol.message.MessageCodec#decode} and {@link
 * io.loomcast.gateway.protocol.message.MessageCodec#encode}; chunk stream ids per kind of message are chosen in
 * {@link io.loomcast.gateway.protocol.message.ChunkStreams} only.
 *
 * <p>What the decoder accepts, and why, in one place:
 * <ul>
 *   <li>Fixed-size payloads (control messages, user control events) must have exactly their size; a longer one
 *       is as wrong as a shorter one.</li>
 *   <li>Unknown message type ids become {@code UnknownMessage}, unknown user control events {@code UnparsedEvent}
 *       (this includes SWF verification, 0x1A/0x1B), unknown shared object events {@code
 *       SharedObjectEvent.Unparsed}: extensions are passed on, not refused.</li>
 *   <li>The envelope of control messages is not checked (RTMP 5.4 wants chunk stream 2, message stream 0); only
 *       their payload means anything.</li>
 *   <li>Commands need name, transaction id and command object (RTMP 7.1.1; {@code null} when there is none).</li>
 *   <li>AMF3 types (15, 16, 17) must start with the 0x00 format byte.</li>
 *   <li>Aggregates: every sub-message size and back pointer must match exactly, sub-messages must be stream
 *       messages, and aggregates do not nest. A wrong back pointer means framing is lost, so nothing after it
 *       could be trusted.</li>
 * </ul>
 * Nothing but {@link io.loomcast.gateway.protocol.ProtocolException} escapes decoding, on any input.
 */
package io.loomcast.gateway.protocol.message;
