package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchSettingsTest {
    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), BenchSettings.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(60), BenchSettings.parseDuration("60s"));
        assertEquals(Duration.ofMinutes(5), BenchSettings.parseDuration("5m"));
        assertEquals(Duration.ZERO, BenchSettings.parseDuration("0"));
        assertThrows(IllegalArgumentException.class, () -> BenchSettings.parseDuration("60"));
        assertThrows(IllegalArgumentException.class, () -> BenchSettings.parseDuration("1.5s"));
    }

    @Test
    void ramps() {
        assertEquals(100, BenchSettings.parseRamp("100/s"));
        assertEquals(100, BenchSettings.parseRamp("100"));
        assertEquals(0.5, BenchSettings.parseRamp("0.5/s"));
        assertEquals(0, BenchSettings.parseRamp("0"));
        var e = assertThrows(IllegalArgumentException.class, () -> BenchSettings.parseRamp("fast"));
        assertTrue(e.getMessage().contains("100/s"));
    }
}
