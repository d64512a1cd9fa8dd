package io.loomcast.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.ReconnectPolicy;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheCapWithJitterInTheUpperHalf() {
        Backoff b = new Backoff(new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(1000), 0), new Random(1));
        long[] caps = {100, 200, 400, 800, 1000, 1000, 1000};
        for (long cap : caps) {
            long ms = b.nextDelay().toMillis();
            assertTrue(ms >= cap / 2 && ms <= cap, ms + " not in [" + cap / 2 + ", " + cap + "]");
        }
    }

    @Test
    void resetStartsOverAndMaxAttemptsGivesUp() {
        Backoff b = new Backoff(new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(10), 3), new Random(2));
        b.nextDelay();
        b.nextDelay();
        b.reset();
        assertTrue(b.nextDelay().toMillis() <= 100);
        b.nextDelay();
        assertNull(b.nextDelay(), "third failure in a row reaches maxAttempts 3");
        assertEquals(3, b.failures());
    }
}
