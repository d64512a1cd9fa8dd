package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.auth.UrlSignature;
import io.loomcast.gateway.cli.Main;
import io.loomcast.gateway.cli.SignCommand;
import io.loomcast.gateway.cli.ValidateCommand;
import io.loomcast.gateway.config.Secret;
import io.loomcast.gateway.it.Peers.Player;
import io.loomcast.gateway.testing.CallbackServer;
import io.loomcast.gateway.testing.CallbackServer.Answer;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.GatewayProcess;
import io.loomcast.gateway.testing.LogCapture;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * No secret anywhere: a full run of the gateway as its own process at DEBUG level, with keys, a signing secret,
 * a callback token and a destination's stream key in its config (from the environment), driven by ffmpeg and
 * rtmpdump with right, wrong and missing keys and signatures over RTMP and RTMPS, reloaded with SIGHUP; then
 * {@code validate} on it and on a broken copy, {@code sign}, and the load bench with a key in its URL. Every
 * line any of them printed, and every report file, is searched for every credential used.
 */
class NoSecretTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static String random(String prefix) {
        byte[] b = new byte[10];
        ThreadLocalRandom.current().nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }

    /** A picocli command run in-process, its stdout and stderr together. */
    private static String run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        int exit = cl.execute(args);
        return "exit " + exit + "\n" + out;
    }

    @Test
    void noKeySecretOrSignatureShowsInAnyOutputOfAFullRun() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PUBLISH_KEY", random("pubkey-"));
        env.put("PLAY_KEY", random("playkey-"));
        env.put("SIGNING_SECRET", random("signing-"));
        env.put("CALLBACK_TOKEN", random("cbtoken-"));
        env.put("DEST_KEY", random("destkey-"));
        String wrongKey = random("wrongkey-");
        Secret secret = new Secret(env.get("SIGNING_SECRET"));
        long now = Instant.now().getEpochSecond();
        String goodSig = UrlSignature.query(secret, "live/signed", now + 600);
        String oldSig = UrlSignature.query(secret, "live/old", now - 60);
        List<String> credentials = new ArrayList<>(env.values());
        credentials.add(wrongKey);
        credentials.add(goodSig.substring(goodSig.indexOf("sig=") + 4));
        credentials.add(oldSig.substring(oldSig.indexOf("sig=") + 4));

        TestMedia media = TestMedia.generate(dir, "ns", 160, 120, 25, 2, 25, "150k");
        TestCertificates certs = TestCertificates.create(Files.createDirectories(dir.resolve("certs")));
        Map<String, String> outputs = new LinkedHashMap<>();
        try (NginxRtmp nginx = NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                     NginxRtmp.Options.withApps("dest"));
             CallbackServer backend = CallbackServer.start(Map.of("/allow", Answer.status(200)));
             LogCapture inProcess = LogCapture.of("io.loomcast");
             Resources r = new Resources()) {
            String yaml = """
                    server:
                      listen: 127.0.0.1:0
                      unpublishGrace: 0
                      tls: { listen: 127.0.0.1:0, certificate: "%s", privateKey: "%s" }
                    routes:
                      - stream: live/keyed
                        push: ["rtmp://127.0.0.1:%d/dest/${DEST_KEY}"]
                    auth:
                      publish:
                        - app: live
                          keys: ["${PUBLISH_KEY}"]
                          secret: ${SIGNING_SECRET}
                        - app: cb
                          callback: "http://127.0.0.1:%d/allow?token=${CALLBACK_TOKEN}"
                      play:
                        - app: live
                          keys: ["${PLAY_KEY}"]
                    """.formatted(certs.serverCert(), certs.serverKey(), nginx.port(),
                    backend.url("/").getPort());
            Path config = Files.writeString(dir.resolve("gateway.yaml"), yaml);
            outputs.put("validate", run(new CommandLine(new ValidateCommand(env)), config.toString()));
            Path broken = Files.writeString(dir.resolve("broken.yaml"), yaml
                    .replace("listen: 127.0.0.1:0\n", "listen: ${PUBLISH_KEY}\n  maxConnections: ${PLAY_KEY}\n")
                    .replace("keys: [\"${PLAY_KEY}\"]", "keys: [\"${PLAY_KEY}\"]\n      secret: ${DEST_KEY}\n"
                            + "      callback: \"ftp://x/${CALLBACK_TOKEN}\"")
                    + "  deny: [\"${SIGNING_SECRET}\"]\n");
            String brokenOut = run(new CommandLine(new ValidateCommand(env)), broken.toString());
            assertTrue(brokenOut.startsWith("exit 1"), brokenOut);
            outputs.put("validate (broken)", brokenOut);
            String signed = run(new CommandLine(new SignCommand(env, InstantSource.system())), "live/signed",
                    "-c", config.toString());
            assertTrue(signed.contains("live/signed?expires="), signed);
            outputs.put("sign", signed.replaceAll("sig=[0-9a-f]{64}", "sig=(printed, as it should be)"));

            Map<String, String> childEnv = new LinkedHashMap<>(env);
            childEnv.put("LOOMCAST_TEST_LOG_LEVEL", "DEBUG");
            try (GatewayProcess gw = GatewayProcess.start("no-secret", config, dir.resolve("gateway.log"), List.of(),
                    childEnv)) {
                String rtmp = "rtmp://127.0.0.1:" + gw.rtmp().getPort() + "/";
                String rtmps = "rtmps://localhost:" + gw.rtmps().orElseThrow().getPort() + "/";
                List<String> verify = List.of("-tls_verify", "1", "-ca_file", certs.caCert().toString());
                // Players with and without their key; publishers with right, wrong and no keys and signatures.
                ExternalPeer withKey = r.add(Player.RTMPDUMP.start(rtmp + "live/keyed?key=" + env.get("PLAY_KEY"),
                        dir.resolve("p1.flv"), dir.resolve("p1.log")));
                ExternalPeer noKey = r.add(Player.RTMPDUMP.start(rtmp + "live/keyed", dir.resolve("p2.flv"),
                        dir.resolve("p2.log")));
                assertNotEquals(0, noKey.awaitExit(DEADLINE));
                Poll.until(() -> gw.log().contains("playing live/keyed"), DEADLINE, "the keyed player", gw::log);
                List<String[]> publishes = List.of(
                        new String[] {rtmp + "live/keyed?key=" + env.get("PUBLISH_KEY"), "0"},
                        new String[] {rtmps + "live/tls?key=" + env.get("PUBLISH_KEY"), "0"},
                        new String[] {rtmp + "live/x?key=" + wrongKey, "1"},
                        new String[] {rtmps + "live/x", "1"},
                        new String[] {rtmp + "live/signed?" + goodSig, "0"},
                        new String[] {rtmp + "live/old?" + oldSig, "1"},
                        new String[] {rtmp + "cb/x?token=" + env.get("CALLBACK_TOKEN"), "0"});
                List<ExternalPeer> publishers = new ArrayList<>();
                for (String[] p : publishes) {
                    publishers.add(r.add(Peers.ffmpegPublish(media.file(), p[0],
                            dir.resolve("pub" + publishers.size() + ".log"), p[0].startsWith("rtmps") ? verify : List.of())));
                }
                for (int i = 0; i < publishes.size(); i++) {
                    int exit = publishers.get(i).awaitExit(DEADLINE);
                    assertEquals(publishes.get(i)[1].equals("0"), exit == 0, publishes.get(i)[0].replaceAll("\\?.*", "")
                            + ": " + publishers.get(i).output());
                }
                assertTrue(Player.RTMPDUMP.finished(withKey.awaitExit(DEADLINE)), withKey.output());
                Poll.until(() -> nginx.errorLogQuietly().contains("name='" + env.get("DEST_KEY") + "'"), DEADLINE,
                        "the push to reach nginx", nginx::errorLogQuietly);
                gw.hangup();
                Poll.until(() -> gw.log().contains("TLS certificate reloaded (reload)"), DEADLINE,
                        "the SIGHUP reload", gw::log);

                // The load bench with keys in its URLs, over RTMPS and RTMP, with every report it writes.
                Path reports = Files.createDirectories(dir.resolve("bench"));
                Thread benchPublishers = Thread.ofVirtual().start(() -> outputs.put("bench publish", run(Main.commandLine(),
                        "bench", "publish", rtmps + "live/bench{i}?key=" + env.get("PUBLISH_KEY"), "--file",
                        media.file().toString(), "--loop", "--clients", "2", "--duration", "4s", "--ramp", "0",
                        "--tls-ca", certs.caCert().toString(), "--report", reports.resolve("publish.json").toString(),
                        "--html", reports.resolve("publish.html").toString())));
                Poll.until(() -> gw.log().contains("publishing live/bench0"), DEADLINE, "the bench publishers",
                        gw::log);
                outputs.put("bench play", run(Main.commandLine(), "bench", "play",
                        rtmp + "live/bench0?key=" + env.get("PLAY_KEY"), "--clients", "2", "--duration", "2s",
                        "--ramp", "0", "--allow-failures", "--report", reports.resolve("play.json").toString(),
                        "--html", reports.resolve("play.html").toString()));
                benchPublishers.join(DEADLINE);
                try (Stream<Path> files = Files.list(reports)) {
                    for (Path f : files.toList()) {
                        outputs.put("bench report " + f.getFileName(), Files.readString(f, StandardCharsets.UTF_8));
                    }
                }
                gw.close();
                outputs.put("gateway (DEBUG)", gw.log());
            }
            outputs.put("in-process logs", String.join("\n", inProcess.lines()));
        }
        assertTrue(outputs.get("gateway (DEBUG)").contains("refused: wrong key"), "the run did not refuse");
        assertTrue(outputs.get("gateway (DEBUG)").contains("DEBUG"), "the gateway did not log at DEBUG");
        assertTrue(outputs.keySet().stream().anyMatch(k -> k.endsWith(".html")), outputs.keySet().toString());
        for (Map.Entry<String, String> output : outputs.entrySet()) {
            for (String credential : credentials) {
                int at = output.getValue().indexOf(credential);
                assertTrue(at < 0, () -> output.getKey() + " shows a credential: ..."
                        + output.getValue().substring(Math.max(0, at - 120), at).replace(credential, "<HERE>")
                        + "<HERE>...");
            }
        }
        assertFalse(outputs.get("validate (broken)").contains("exit 0"));
    }
}
