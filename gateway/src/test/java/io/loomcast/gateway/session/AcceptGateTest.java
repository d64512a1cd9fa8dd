package io.loomcast.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loomcast.gateway.auth.AddressRules;
import io.loomcast.gateway.config.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The decisions made at accept, and that each refusal is counted by its reason. */
class AcceptGateTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void thePerAddressLimitCountsOpenConnectionsFromEachAddressApart() throws Exception {
        ServerCounters counters = new ServerCounters();
        AcceptGate gate = new AcceptGate(100, 2, () -> AddressRules.OPEN, counters);
        assertEquals(Optional.empty(), gate.admit(ip("127.0.0.2")));
        assertEquals(Optional.empty(), gate.admit(ip("127.0.0.2")));
        assertEquals(Optional.of(Refusal.PER_IP_LIMIT), gate.admit(ip("127.0.0.2")));
        assertEquals(Optional.empty(), gate.admit(ip("127.0.0.3")), "another address has its own count");
        gate.release(ip("127.0.0.2"));
        assertEquals(Optional.empty(), gate.admit(ip("127.0.0.2")), "a closed connection frees its place");
        assertEquals(1, counters.refusals(Refusal.PER_IP_LIMIT));
        assertEquals(1, counters.connectionsRejected.sum());
        assertEquals(3, gate.open());
    }

    @Test
    void theTotalLimitAndZeroMeaningNoPerAddressLimit() throws Exception {
        ServerCounters counters = new ServerCounters();
        AcceptGate gate = new AcceptGate(3, 0, () -> AddressRules.OPEN, counters);
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), gate.admit(ip("127.0.0.1")));
        }
        assertEquals(Optional.of(Refusal.MAX_CONNECTIONS), gate.admit(ip("127.0.0.9")));
        assertEquals(1, counters.refusals(Refusal.MAX_CONNECTIONS));
    }

    @Test
    void addressRulesAreReadAtEachAcceptSoAReloadAppliesAtOnce() throws Exception {
        ServerCounters counters = new ServerCounters();
        AtomicReference<AddressRules> rules = new AtomicReference<>(AddressRules.OPEN);
        AcceptGate gate = new AcceptGate(100, 0, rules::get, counters);
        assertEquals(Optional.empty(), gate.admit(ip("127.0.0.2")));
        rules.set(new AddressRules(List.of(Cidr.parse("127.0.0.0/8")), List.of(Cidr.parse("127.0.0.2"))));
        assertEquals(Optional.of(Refusal.ADDRESS_DENIED), gate.admit(ip("127.0.0.2")));
        assertEquals(Optional.empty(), gate.admit(ip("127.0.0.1")));
        assertEquals(Optional.of(Refusal.ADDRESS_DENIED), gate.admit(ip("::1")), "not in allow");
        assertEquals(2, counters.refusals(Refusal.ADDRESS_DENIED));
        assertEquals(2, counters.connectionsRejected.sum());
    }
}
