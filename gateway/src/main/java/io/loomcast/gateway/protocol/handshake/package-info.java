/**
 * The RTMP handshake, both sides, as byte-level state machines plus a small blocking driver.
 *
 * <p>Two flavours exist on the wire. The simple handshake of the RTMP specification (RTMP 5.2: C0/S0 version 3,
 * C1/S1 of time, zero and random bytes, C2/S2 echoes) and the digest handshake Flash Player 9 introduced, which
 * hides an HMAC-SHA256 digest in C1/S1 at an offset computed from the packet's own bytes ({@link DigestScheme})
 * and signs C2/S2 with a key derived from the peer's digest. A server that answers a Flash-style client plainly
 * is rejected by it; a server that answers digest-style is accepted by every client, so the server side detects
 * the flavour from C1 and answers in kind.
 *
 * <p>{@link ServerHandshake} and {@link ClientHandshake} know only bytes; {@link Handshake} reads exact-size
 * units from a blocking stream within a deadline. Nothing here opens sockets or starts threads.
 */
package io.loomcast.gateway.protocol.handshake;
