package io.loomcast.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scalar types: durations, byte sizes, bitrates, listen addresses, RTMP URLs, and the did-you-mean hint. */
class ValueTypesTest {

    @Test
    void durationsNeedAUnitExceptZero() {
        assertEquals(Duration.ofMillis(500), DurationText.parse("500ms"));
        assertEquals(Duration.ofSeconds(5), DurationText.parse("5s"));
        assertEquals(Duration.ofMinutes(2), DurationText.parse("2m"));
        assertEquals(Duration.ofHours(1), DurationText.parse("1h"));
        assertEquals(Duration.ZERO, DurationText.parse("0"));
        for (String bad : List.of("30", "1.5s", "-5s", "5 s", "5S", "5d", "", "s")) {
            assertThrows(IllegalArgumentException.class, () -> DurationText.parse(bad), bad);
        }
        assertEquals("90s", DurationText.format(Duration.ofSeconds(90)));
        assertEquals("1500ms", DurationText.format(Duration.ofMillis(1500)));
        assertEquals("2h", DurationText.format(Duration.ofHours(2)));
    }

    @Test
    void byteSizesAreBinary() {
        assertEquals(4096, ByteSizeText.parse("4096"));
        assertEquals(4096, ByteSizeText.parse("4096B"));
        assertEquals(65_536, ByteSizeText.parse("64KiB"));
        assertEquals(8L << 20, ByteSizeText.parse("8MiB"));
        assertEquals(1L << 30, ByteSizeText.parse("1GiB"));
        for (String bad : List.of("8MB", "8M", "8 MiB", "8mib", "1.5MiB", "-1", "999999999999999GiB")) {
            assertThrows(IllegalArgumentException.class, () -> ByteSizeText.parse(bad), bad);
        }
        assertTrue(ByteSizeText.looksLikeWrongUnit("8MB"));
        assertTrue(ByteSizeText.looksLikeWrongUnit("2.5MB"));
        assertFalse(ByteSizeText.looksLikeWrongUnit("lots"));
        assertEquals("16MiB", ByteSizeText.format(16L << 20));
        assertEquals("1000", ByteSizeText.format(1000));
    }

    @Test
    void bitratesAreDecimalBitsPerSecond() {
        assertEquals(new Bitrate(2_500_000), Bitrate.parse("2500k"));
        assertEquals(new Bitrate(2_500_000), Bitrate.parse("2500K"));
        assertEquals(new Bitrate(2_500_000), Bitrate.parse("2.5M"));
        assertEquals(new Bitrate(128_000), Bitrate.parse("128000"));
        assertEquals("2500k", new Bitrate(2_500_000).toString());
        assertEquals("3M", new Bitrate(3_000_000).toString());
        for (String bad : List.of("2.5Mbps", "800KiB", "0.0005k", "1G", "k", "-1k")) {
            assertThrows(IllegalArgumentException.class, () -> Bitrate.parse(bad), bad);
        }
    }

    @Test
    void listenAddresses() {
        assertEquals(new ListenAddress("127.0.0.1", 1935), ListenAddress.parse("127.0.0.1:1935"));
        assertEquals(new ListenAddress("::1", 0), ListenAddress.parse("[::1]:0"));
        assertEquals("[::1]:0", new ListenAddress("::1", 0).toString());
        assertEquals(new ListenAddress("localhost", 8080), ListenAddress.parse("localhost:8080"));
        for (String bad : List.of("1935", ":1935", "host:", "::1:1935", "h:65536", "h:-1", "[::1:1935")) {
            assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(bad), bad);
        }
    }

    @Test
    void rtmpUrlsSplitAppFromStreamKey() {
        RtmpUrl yt = RtmpUrl.parse("rtmp://a.rtmp.youtube.com/live2/abcd-1234");
        assertEquals(new RtmpUrl("rtmp", "", "a.rtmp.youtube.com", 1935, "live2", "abcd-1234"), yt);
        assertEquals("rtmp://a.rtmp.youtube.com:1935/live2/***", yt.toString());
        assertEquals("rtmp://a.rtmp.youtube.com:1935/live2", yt.tcUrl());
        assertFalse(yt.tls());

        RtmpUrl fb = RtmpUrl.parse("RTMPS://live-api-s.facebook.com/rtmp/FB-1?s_bl=1");
        assertEquals(new RtmpUrl("rtmps", "", "live-api-s.facebook.com", 443, "rtmp", "FB-1?s_bl=1"), fb);
        assertTrue(fb.tls());

        assertEquals(new RtmpUrl("rtmp", "u:p", "::1", 1936, "app/inst", "key"),
                RtmpUrl.parse("rtmp://u:p@[::1]:1936/app/inst/key"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://h/live/key", "rtmp://h", "rtmp://h/", "rtmp://h/live", "rtmp://h/live/",
        "rtmp:///live/key", "rtmp://h:0/live/key", "rtmp://h:x/live/key", "rtmp://h/live//key", "h/live/key",
        "rtmp://[::1/live/key"})
    void badRtmpUrlsAreRefusedWithoutRepeatingThem(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse(url));
        assertFalse(e.getMessage().contains("key") && url.contains("key") && e.getMessage().contains("/key"),
                e.getMessage());
    }

    @Test
    void didYouMeanSuggestsCloseNamesOnly() {
        List<String> keys = List.of("listen", "chunkSize", "windowAckSize", "maxConnections");
        assertEquals(Optional.of("chunkSize"), DidYouMean.closest("chunkSze", keys));
        assertEquals(Optional.of("chunkSize"), DidYouMean.closest("chunkSzie", keys), "a swap is one edit");
        assertEquals(Optional.of("chunkSize"), DidYouMean.closest("chunksize", keys), "case is ignored");
        assertEquals(Optional.of("maxConnections"), DidYouMean.closest("maxConnection", keys));
        assertEquals(Optional.empty(), DidYouMean.closest("auth", keys));
        assertEquals(Optional.of("libx264"), DidYouMean.closest("x264", List.of("auto", "libx264", "libopenh264")));
        assertEquals("known: a, b", DidYouMean.hint("zzzz", List.of("a", "b")));
    }
}
