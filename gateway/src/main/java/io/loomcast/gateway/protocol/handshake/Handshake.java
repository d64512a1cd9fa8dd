package io.loomcast.gateway.protocol.handshake;

import io.loomcast.gateway.protocol.PeerClosedException;
import io.loomcast.gateway.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;

/**
 * Runs a whole handshake over a blocking stream pair, reading each unit (C0, C1, C2 or S0, S1, S2) with
 * exact-size reads, within {@link HandshakeOptions#timeout()} from the first read to the last.
 *
 * <p>Over a socket: {@code Handshake.server(s.getInputStream(), s.getOutputStream(), options, s::setSoTimeout)}.
 * Before every read the driver arms the {@link ReadTimeout} with what is left of the budget, so a peer that
 * stalls, or trickles a byte at a time, is cut off when the budget is spent, with a
 * {@link SocketTimeoutException} naming the unit and how many of its bytes arrived. The caller resets the
 * socket's timeout for the session afterwards. Writes are not timed: a handshake writes at most 3073 bytes,
 * which fit in any socket send buffer.
 *
 * <p>Errors: {@link ProtocolException} for bytes that are not an acceptable handshake,
 * {@link PeerClosedException} for end of stream mid-handshake, {@link SocketTimeoutException} for the deadline,
 * other {@link IOException}s from the streams as they come.
 */
public final class Handshake {
    private Handshake() {}

    /** Answers a client: reads C0 (checked at once), C1, writes S0S1S2, reads C2. */
    public static HandshakeResult server(InputStream in, OutputStream out, HandshakeOptions options,
            ReadTimeout readTimeout) throws IOException {
        Reader reader = new Reader(in, options, readTimeout);
        ServerHandshake server = new ServerHandshake(options);
        byte[] c0c1 = new byte[ServerHandshake.C0C1_BYTES];
        reader.readFully(c0c1, 0, 1, "C0");
        ServerHandshake.checkC0(c0c1[0]);
        reader.readFully(c0c1, 1, Packet.BYTES, "C1");
        out.write(server.respond(c0c1));
        out.flush();
        byte[] c2 = new byte[Packet.BYTES];
        reader.readFully(c2, 0, c2.length, "C2");
        return server.verifyC2(c2);
    }

    /** Opens a handshake offering {@code offer}: writes C0C1, reads S0 (checked at once) and S1, writes C2, reads S2. */
    public static HandshakeResult client(InputStream in, OutputStream out, HandshakeMode offer,
            HandshakeOptions options, ReadTimeout readTimeout) throws IOException {
        Reader reader = new Reader(in, options, readTimeout);
        ClientHandshake client = new ClientHandshake(offer, options);
        out.write(client.c0c1());
        out.flush();
        byte[] s0s1 = new byte[ClientHandshake.S0S1_BYTES];
        reader.readFully(s0s1, 0, 1, "S0");
        ClientHandshake.checkS0(s0s1[0]);
        reader.readFully(s0s1, 1, Packet.BYTES, "S1");
        out.write(client.respond(s0s1));
        out.flush();
        byte[] s2 = new byte[Packet.BYTES];
        reader.readFully(s2, 0, s2.length, "S2");
        return client.verifyS2(s2);
    }

    /** Exact-size reads against one deadline. */
    private static final class Reader {
        private final InputStream in;
        private final HandshakeOptions options;
        private final ReadTimeout readTimeout;
        private final long startNanos;

        Reader(InputStream in, HandshakeOptions options, ReadTimeout readTimeout) {
            this.in = in;
            this.options = options;
            this.readTimeout = readTimeout;
            this.startNanos = options.nanoClock().getAsLong();
        }

        void readFully(byte[] buf, int offset, int length, String unit) throws IOException {
            int got = 0;
            while (got < length) {
                readTimeout.arm(remainingMillis(unit, got, length));
                int n;
                try {
                    n = in.read(buf, offset + got, length - got);
                } catch (SocketTimeoutException e) {
                    SocketTimeoutException named = timedOut(unit, got, length);
                    named.initCause(e);
                    throw named;
                }
                if (n < 0) {
                    throw new PeerClosedException(got == 0
                            ? "peer closed the connection before sending %s".formatted(unit)
                            : "peer closed the connection after %d of %d bytes of %s".formatted(got, length, unit));
                }
                got += n;
            }
        }

        /** Milliseconds left, rounded up and at least 1, so that 0 ("forever" to a socket) is never armed. */
        private int remainingMillis(String unit, int got, int length) throws SocketTimeoutException {
            long elapsed = options.nanoClock().getAsLong() - startNanos;
            long remainingNanos = options.timeout().toNanos() - elapsed;
            if (remainingNanos <= 0) {
                throw timedOut(unit, got, length);
            }
            return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (remainingNanos + 999_999) / 1_000_000));
        }

        private SocketTimeoutException timedOut(String unit, int got, int length) {
            return new SocketTimeoutException("handshake timed out after %d ms with %d of %d bytes of %s received"
                    .formatted(options.timeout().toMillis(), got, length, unit));
        }
    }
}
