package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The bookkeeping of player demand, on a fake clock and a fake hub count: no FFmpeg, no threads. */
class PlayerDemandTest {
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final long SECOND = 1_000_000_000L;

    private final PlayerDemand demand = new PlayerDemand();
    private final Map<String, Integer> hub = new HashMap<>();

    private static PlayerDemand.Request request(String name) {
        return PlayerDemand.Request.parse(name).orElseThrow();
    }

    /** The sources of the renditions a sweep at {@code nanos} forgets. */
    private Set<String> sweepAt(long nanos) {
        return demand.sweep(name -> hub.getOrDefault(name, 0), nanos, IDLE).stream()
                .map(PlayerDemand.Request::source).collect(Collectors.toSet());
    }

    @Test
    void onlySourceAtProfileWithAValidNonRenditionSourceIsARequest() {
        assertEquals(new PlayerDemand.Request("live/show@360p", "live/show", "360p"), request("live/show@360p"));
        assertEquals("live/studio/cam1", request("live/studio/cam1@small").source(), "a name may hold slashes");
        for (String notARequest : List.of("live/show", "live/a@360p@small", "live/@360p", "@360p", "live@360p",
                "live/show@")) {
            assertEquals(Optional.empty(), PlayerDemand.Request.parse(notARequest), notARequest);
        }
    }

    @Test
    void aRenditionIsWantedUntilItHasHadNoPlayerForTheIdleTime() {
        hub.put("live/show@360p", 1);
        assertTrue(demand.observe(request("live/show@360p"), 1, 0), "newly wanted");
        assertFalse(demand.observe(request("live/show@360p"), 2, 0), "a second player changes nothing");
        assertEquals(List.of("360p"), demand.profilesOf("live/show"));

        hub.put("live/show@360p", 0);
        assertEquals(Set.of(), sweepAt(SECOND), "the last player left; the idle time starts now");
        assertEquals(Set.of(), sweepAt(10 * SECOND), "9 s idle");
        assertEquals(List.of("360p"), demand.profilesOf("live/show"), "still wanted within the idle time");
        assertEquals(Set.of("live/show"), sweepAt(11 * SECOND), "10 s idle: forgotten");
        assertEquals(List.of(), demand.profilesOf("live/show"));
        assertEquals(Set.of(), demand.sources());
    }

    @Test
    void aPlayerComingBackWithinTheIdleTimeKeepsItAndRestartsTheClock() {
        demand.observe(request("live/show@360p"), 1, 0);
        sweepAt(SECOND); // no player from 1 s
        hub.put("live/show@360p", 1);
        sweepAt(5 * SECOND); // back at 5 s
        hub.put("live/show@360p", 0);
        sweepAt(6 * SECOND); // gone again from 6 s
        assertEquals(Set.of(), sweepAt(15 * SECOND), "idle 9 s since 6 s, not 14 s since 1 s");
        assertEquals(Set.of("live/show"), sweepAt(16 * SECOND));
    }

    @Test
    void theHubsCountWinsOverAStaleEvent() {
        // Two events raced: "1 player" arrived after "0 players". The sweep re-reads the hub.
        demand.observe(request("live/show@360p"), 0, 0);
        demand.observe(request("live/show@360p"), 1, 0);
        sweepAt(0);
        assertEquals(Set.of("live/show"), sweepAt(10 * SECOND));
    }

    @Test
    void aRefusalIsReportedOnceAndRetriedWhileWatched() {
        hub.put("live/show@360p", 1);
        demand.observe(request("live/show@360p"), 1, 0);
        assertTrue(demand.refuse("live/show@360p"));
        assertFalse(demand.refuse("live/show@360p"), "logged once, not at every retry");
        assertEquals(Set.of("live/show"), demand.refusedSources());
        hub.put("live/show@360p", 0);
        sweepAt(SECOND);
        assertEquals(Set.of(), demand.refusedSources(), "nobody waits for it any more");
        hub.put("live/show@360p", 1);
        sweepAt(2 * SECOND);
        assertTrue(demand.admit("live/show@360p"), "it had been refused");
        assertFalse(demand.admit("live/show@360p"));
    }

    @Test
    void retainForgetsRequestsOfRemovedProfiles() {
        demand.observe(request("live/a@small"), 1, 0);
        demand.observe(request("live/b@big"), 1, 0);
        demand.retain(r -> r.profile().equals("small"));
        assertEquals(Set.of("live/a"), demand.sources());
    }
}
