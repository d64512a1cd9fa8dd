package io.loomcast.gateway.session;

import java.util.concurrent.atomic.LongAdder;

/** Server-wide counts, read by the metrics endpoint; every session adds to the same instance. */
public final class ServerCounters {
    public final LongAdder connectionsAccepted = new LongAdder();
    public final LongAdder connectionsRejected = new LongAdder();
    public final LongAdder handshakeFailures = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    public final LongAdder unknownCommands = new LongAdder();
    public final LongAdder ignoredMessages = new LongAdder();
    public final LongAdder publishRejected = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder bytesOut = new LongAdder();
}
