/**
 * The RTMP chunk stream (RTMP 5.3) and the protocol control state around it (RTMP 5.4): bytes in,
 * {@link io.loomcast.gateway.protocol.chunk.RawMessage}s out, and back. No sockets, no threads.
 *
 * <ul>
 *   <li>{@link io.loomcast.gateway.protocol.chunk.ChunkReader} reassembles messages from a blocking stream,
 *       checking {@link io.loomcast.gateway.protocol.chunk.ChunkLimits} before allocating.</li>
 *   <li>{@link io.loomcast.gateway.protocol.chunk.ChunkWriter} chunks messages with the smallest headers, and
 *       chunks shared messages once as {@link io.loomcast.gateway.protocol.chunk.EncodedMessage}s.</li>
 *   <li>{@link io.loomcast.gateway.protocol.chunk.ProtocolControl} is the one place incoming control messages
 *       take effect, on the reader, the {@link io.loomcast.gateway.protocol.chunk.AckWindow} (acknowledgements
 *       we owe) and the {@link io.loomcast.gateway.protocol.chunk.PeerBandwidth} (the limit on our output).</li>
 * </ul>
 *
 * <p>Two readings of the spec that peers disagree on, and what this package does:
 * <ul>
 *   <li>Extended timestamp on fmt-3 chunks (RTMP 5.3.1.3): written always; read whether or not it is there,
 *       counted as a {@link io.loomcast.gateway.protocol.chunk.Quirk} when it is not.</li>
 *   <li>A fmt-3 chunk starting a new message right after a fmt-0 header: read with the fmt-0 timestamp as
 *       the delta (FFmpeg, SRS); never written, the writer sends fmt 2 there instead.</li>
 * </ul>
 */
package io.loomcast.gateway.protocol.chunk;
