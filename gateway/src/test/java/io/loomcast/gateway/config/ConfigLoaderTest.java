package io.loomcast.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String FULL = """
            server:
              listen: 0.0.0.0:0
              chunkSize: 64KiB
              windowAckSize: 5000000
              peerBandwidth: 3000000
              handshakeTimeout: 500ms
              idleTimeout: 1m
              writeTimeout: 20s
              pingInterval: 0
              maxConnections: 50
              maxConnectionsPerIp: 20
              tls: { listen: 0.0.0.0:1936, certificate: /etc/loomcast/cert.pem, privateKey: /etc/loomcast/key.pem }
              limits: { maxMessageSize: 4MiB, maxChunkStreams: 16, maxIncomingChunkSize: 1MiB,
                        maxStreamsPerConnection: 4, maxControlBacklog: 256KiB }
              gopCache: { enabled: false }
              subscriberQueue: { maxBytes: 1MiB, stallTimeout: 1h }
              unpublishGrace: 3s
            api:
              listen: "[::1]:9090"
            watch: true
            relay:
              reconnect: { initialDelay: 2s, maxAttempts: 5 }
              linger: 0
              onDemandIdle: 2m
            transcode:
              profiles:
                720p:
                  video: { width: 1280, height: 720, fps: 30, bitrate: 2500k, maxrate: 3000k, gop: 2s,
                           preset: veryfast, profile: high, encoder: auto, bframes: 0 }
                  audio: copy
                360p:
                  video: { height: 360, bitrate: 800k, encoder: libopenh264 }
                  audio: { bitrate: 96k }
            routes:
              - stream: relay/studio
                pull: rtmp://origin.example:1935/live/studio
                push:
                  - url: rtmp://a.rtmp.youtube.com/live2/${YT_KEY}
                  - url: rtmps://live-api-s.facebook.com:443/rtmp/${FB_KEY}
                    chunkSize: 60000
                    windowAckSize: 5000000
                    peerBandwidth: 5000000
                    tls: { caFile: /path/ca.pem }
                    reconnect: { maxDelay: 1m }
                  - url: rtmp://live.twitch.tv/app/${TWITCH_KEY}
                    transcode: 720p
              - stream: studio/cam
                pull: { url: "rtmps://origin.example/live/cam", mode: onDemand, reconnect: { maxAttempts: 3 } }
              - stream: live/*
                push:
                  - rtmp://backup.example:1935/{app}/{name}
            auth:
              allow: [127.0.0.0/8, "::1/128"]
              deny: [10.0.0.0/8]
              publish:
                - app: live
                  keys: ["${PUBLISH_KEY}"]
                  secret: ${SIGNING_SECRET}
                  callback: { url: "http://127.0.0.1:9000/on_publish", timeout: 2s }
                - app: open-*
                  open: true
              play: []
            """;
    private static final Map<String, String> ENV = Map.of("YT_KEY", "yt", "FB_KEY", "fb", "TWITCH_KEY", "tw",
            "PUBLISH_KEY", "pk", "SIGNING_SECRET", "0123456789abcdef0123");

    @Test
    void fullExampleBindsToRecordsWithDefaultsFilledIn() throws Exception {
        GatewayConfig config = ConfigLoader.parse(FULL, "full.yaml", ENV);

        ServerConfig server = new ServerConfig(new ListenAddress("0.0.0.0", 0), 65_536, 5_000_000, 3_000_000,
                Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ofSeconds(20), Duration.ZERO, 50,
                new InboundLimits(4L << 20, 16, 1 << 20, 4, 256 << 10),
                new GopCacheConfig(false, 16L << 20, Duration.ofSeconds(10)),
                new SubscriberQueueConfig(1L << 20, Duration.ofSeconds(5), Duration.ofHours(1)),
                ServerConfig.DEFAULT_SHUTDOWN_GRACE, Duration.ofSeconds(3), 20, Optional.of(new ServerTlsConfig(
                        new ListenAddress("0.0.0.0", 1936), Path.of("/etc/loomcast/cert.pem"),
                        Path.of("/etc/loomcast/key.pem"))), Duration.ZERO);
        ReconnectPolicy relayReconnect = new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofSeconds(10), 5);
        TranscodeProfile p720 = new TranscodeProfile("720p", new VideoProfile(OptionalInt.of(1280), OptionalInt.of(720),
                OptionalInt.of(30), new Bitrate(2_500_000), new Bitrate(3_000_000), Duration.ofSeconds(2),
                VideoProfile.Preset.VERYFAST, VideoProfile.H264Profile.HIGH, VideoProfile.Encoder.AUTO, 0,
                VideoProfile.DEFAULT_SCALER),
                AudioProfile.COPY);
        TranscodeProfile p360 = new TranscodeProfile("360p", new VideoProfile(OptionalInt.empty(), OptionalInt.of(360),
                OptionalInt.empty(), new Bitrate(800_000), new Bitrate(800_000), Duration.ofSeconds(2),
                VideoProfile.Preset.VERYFAST, VideoProfile.H264Profile.HIGH, VideoProfile.Encoder.LIBOPENH264, 0,
                VideoProfile.DEFAULT_SCALER),
                new AudioProfile.Encode(new Bitrate(96_000), 48_000, 2));
        RouteConfig studio = new RouteConfig("relay/studio",
                Optional.of(new PullConfig("rtmp://origin.example:1935/live/studio", PullConfig.Mode.ALWAYS,
                        relayReconnect, Optional.empty())),
                List.of(new PushConfig("rtmp://a.rtmp.youtube.com/live2/yt", 65_536, 5_000_000, 3_000_000,
                                Optional.empty(), relayReconnect, Optional.empty()).withId("a.rtmp.youtube.com-live2"),
                        new PushConfig("rtmps://live-api-s.facebook.com:443/rtmp/fb", 60_000, 5_000_000, 5_000_000,
                                Optional.of(new TlsConfig(Optional.of(Path.of("/path/ca.pem")))),
                                new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofMinutes(1), 5), Optional.empty())
                                .withId("live-api-s.facebook.com-rtmp"),
                        new PushConfig("rtmp://live.twitch.tv/app/tw", 65_536, 5_000_000, 3_000_000,
                                Optional.empty(), relayReconnect, Optional.of(p720)).withId("live.twitch.tv-app")));
        RouteConfig cam = new RouteConfig("studio/cam",
                Optional.of(new PullConfig("rtmps://origin.example/live/cam", PullConfig.Mode.ON_DEMAND,
                        new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofSeconds(10), 3),
                        Optional.of(TlsConfig.DEFAULT))),
                List.of());
        RouteConfig live = new RouteConfig("live/*", Optional.empty(),
                List.of(new PushConfig("rtmp://backup.example:1935/{app}/{name}", 65_536, 5_000_000, 3_000_000,
                        Optional.empty(), relayReconnect, Optional.empty()).withId("backup.example-app")));
        GatewayConfig expected = new GatewayConfig(server, Optional.of(new ApiConfig(new ListenAddress("::1", 9090))),
                true, new RelayConfig(relayReconnect, Duration.ZERO, Duration.ofMinutes(2)),
                new TranscodeConfig(Map.of("720p", p720, "360p", p360)), List.of(studio, cam, live), Optional.empty(),
                LoggingConfig.DEFAULT, new AuthConfig(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")), List.of(Cidr.parse("10.0.0.0/8")),
                        List.of(new AuthRuleConfig("live", false, List.of(new Secret("pk")),
                                Optional.of(new Secret("0123456789abcdef0123")), Optional.of(new CallbackConfig(
                                        java.net.URI.create("http://127.0.0.1:9000/on_publish"), Duration.ofSeconds(2)))),
                                new AuthRuleConfig("open-*", true, List.of(), Optional.empty(), Optional.empty())),
                        List.of()));

        assertEquals(expected.server(), config.server());
        assertEquals(expected.transcode(), config.transcode());
        assertEquals(expected.routes(), config.routes());
        assertEquals(expected, config);
        assertEquals(List.of("720p", "360p"), List.copyOf(config.transcode().profiles().keySet()));
    }

    @Test
    void sameFileLoadsEqualAndAChangedKeyDoesNot() throws Exception {
        GatewayConfig a = ConfigLoader.parse(FULL, "a.yaml", ENV);
        GatewayConfig b = ConfigLoader.parse(FULL, "b.yaml", ENV);
        GatewayConfig c = ConfigLoader.parse(FULL.replace("bitrate: 2500k", "bitrate: 2400k"), "c.yaml", ENV);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a.routes().get(0), c.routes().get(0), "a push sees the change of its transcode profile");
    }

    @Test
    void printingALoadedConfigNeverShowsAKey() throws Exception {
        String printed = ConfigLoader.parse(FULL, "full.yaml",
                Map.of("YT_KEY", "yt-secret", "FB_KEY", "fb-secret", "TWITCH_KEY", "tw-secret",
                        "PUBLISH_KEY", "publish-hunter2", "SIGNING_SECRET", "signing-hunter2-0123456789")).toString();
        assertFalse(printed.replace("secret=", "").contains("secret"), printed);
        assertFalse(printed.contains("hunter2"), printed);
        assertTrue(printed.contains("rtmp://a.rtmp.youtube.com/live2/***"), printed);
    }

    @Test
    void emptyFileAndEmbeddedDefaultAreTheDefaults() throws Exception {
        GatewayConfig empty = ConfigLoader.parse("# nothing here\n", "empty.yaml", Map.of());
        GatewayConfig defaults = ConfigLoader.defaults();
        assertEquals(defaults, empty);
        assertEquals(new ListenAddress("127.0.0.1", 1935), defaults.server().listen());
        assertEquals(ServerConfig.DEFAULT, defaults.server());
        assertEquals(RelayConfig.DEFAULT, defaults.relay());
        assertEquals(Optional.empty(), defaults.api());
        assertFalse(defaults.watch());
        assertTrue(defaults.routes().isEmpty());
        assertTrue(defaults.transcode().profiles().isEmpty());
        assertEquals(TranscodeConfig.NONE, defaults.transcode());
        assertTrue(defaults.transcode().playerRenditions(), "players may start renditions unless turned off");
        assertEquals(Duration.ofSeconds(10), defaults.transcode().onDemandIdle());
        assertEquals(8, defaults.transcode().maxEncoders());
        assertTrue(defaults.transcode().cascadeScaling(), "cascade scaling is on unless turned off");
    }

    @Test
    void scalingSettingsBind() throws Exception {
        TranscodeConfig t = ConfigLoader.parse("""
                transcode:
                  cascadeScaling: false
                  profiles:
                    small: { video: { height: 180, bitrate: 300k, scaler: area } }
                    big: { video: { height: 720, bitrate: 3M } }
                """, "scaling.yaml", Map.of()).transcode();
        assertFalse(t.cascadeScaling());
        assertEquals(VideoProfile.Scaler.AREA, t.profiles().get("small").video().scaler());
        assertEquals(VideoProfile.DEFAULT_SCALER, t.profiles().get("big").video().scaler());
    }

    @Test
    void playerRenditionSettingsBind() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                transcode:
                  playerRenditions: false
                  onDemandIdle: 1500ms
                  maxEncoders: 2
                  profiles:
                    small: { video: { height: 180, bitrate: 300k } }
                routes:
                  - stream: live/a
                    push:
                      - { url: "rtmp://a.example/live/a", transcode: small }
                      - { url: "rtmp://b.example/live/a", transcode: small }
                  - stream: live/b
                    push: [{ url: "rtmp://c.example/live/b", transcode: small }]
                  - stream: live/*
                    push: [{ url: "rtmp://d.example/live/{name}", transcode: small }]
                """, "players.yaml", Map.of());
        TranscodeConfig t = config.transcode();
        assertFalse(t.playerRenditions());
        assertEquals(Duration.ofMillis(1500), t.onDemandIdle());
        assertEquals(2, t.maxEncoders(), "two exact renditions (live/a@small shared by two pushes, live/b@small) fit; "
                + "the wildcard route's are not counted at load time");
        assertEquals(Duration.ZERO, ConfigLoader.parse("transcode: { onDemandIdle: 0 }", "zero.yaml", Map.of())
                .transcode().onDemandIdle(), "0: a rendition stops as soon as its last player leaves");
    }

    @Test
    void sectionsWithNoValueTakeTheirDefaults() throws Exception {
        GatewayConfig config = ConfigLoader.parse("server:\nrelay:\napi:\nroutes:\n", "nulls.yaml", Map.of());
        assertEquals(ServerConfig.DEFAULT, config.server());
        assertEquals(Optional.of(ApiConfig.DEFAULT), config.api(), "an api key, even empty, turns the API on");
    }

    @Test
    void repositoryConfigIsTheDefaultWrittenOut() throws Exception {
        assertEquals(ConfigLoader.defaults(), ConfigLoader.load(repoFile("config/gateway.yaml"), Map.of()));
    }

    @Test
    void relayExampleValidatesWithItsKeysSet() throws Exception {
        GatewayConfig config = ConfigLoader.load(repoFile("config/examples/relay.yaml"), ENV);
        assertEquals(2, config.routes().size());
        assertTrue(config.routes().get(1).isWildcard());
        assertTrue(config.routes().get(0).pull().isPresent());
        assertEquals(Optional.of("720p"),
                config.routes().get(0).pushes().get(2).transcode().map(TranscodeProfile::name));
        assertEquals("rtmp://backup.example:1935/live/{name}", config.routes().get(1).pushes().get(0).url(),
                "${BACKUP_HOST:-backup.example} falls back to its default");
    }

    @Test
    void publicEdgeExampleValidatesWithItsKeysSet() throws Exception {
        Map<String, String> env = Map.of("PUBLISH_KEY", "pk", "SIGNING_SECRET", "0123456789abcdef",
                "PLAY_KEY", "vk", "YT_KEY", "yt");
        GatewayConfig config = ConfigLoader.load(repoFile("config/examples/public-edge.yaml"), env);
        assertEquals(1936, config.server().tls().orElseThrow().listen().port());
        assertEquals(100, config.server().maxConnectionsPerIp());
        assertEquals(List.of(new Secret("pk")), config.auth().publish().getFirst().keys());
        assertEquals(Optional.of(new Secret("0123456789abcdef")), config.auth().publish().getFirst().secret());
        assertEquals("live", config.auth().play().getFirst().app());
    }

    @Test
    void loadNamesTheFileAsGiven(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gw.yaml");
        Files.writeString(file, "server:\n  chunkSize: 1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        String line = file + ":2:14: server.chunkSize: must be between 128 and 64KiB, got 1";
        assertEquals(List.of(line), e.errors().stream().map(ConfigError::format).toList());
        assertEquals(file + ": 1 config error\n" + line, e.getMessage());
    }

    @Test
    void missingFileIsOneUnpositionedError(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertEquals(List.of(file + ": cannot read the file: no such file"),
                e.errors().stream().map(ConfigError::format).toList());
    }

    @Test
    void quotingDoesNotChangeTheValue() throws Exception {
        GatewayConfig config = ConfigLoader.parse(
                "server: { chunkSize: \"8192\", listen: '127.0.0.1:1' }\nwatch: 'true'\n", "q.yaml", Map.of());
        assertEquals(8192, config.server().chunkSizeBytes());
        assertTrue(config.watch());
    }

    @Test
    void aliasesAreResolved() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                relay: { reconnect: &slow { initialDelay: 5s, maxDelay: 1m } }
                routes:
                  - stream: live/a
                    push: [{ url: rtmp://h/live/a, reconnect: *slow }]
                """, "alias.yaml", Map.of());
        assertEquals(Duration.ofMinutes(1), config.routes().get(0).pushes().get(0).reconnect().maxDelay());
    }

    static Path repoFile(String relative) {
        // Surefire runs in the gateway module; the repository root is its parent.
        Path here = Path.of("").toAbsolutePath();
        return (Files.exists(here.resolve(relative)) ? here : here.getParent()).resolve(relative);
    }
}
