package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.it.Peers.Player;
import io.loomcast.gateway.it.Playout.Join;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.TestPlayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual threads must not pin their carrier on the media path. At run time: JFR's jdk.VirtualThreadPinned
 * events during a publish and play must not come from gateway code. These tests run on JDK 25, where
 * {@code synchronized} no longer pins (JEP 491), so the JDK 21 rule is also checked in the source: no
 * {@code synchronized} in the protocol, media, hub and session packages.
 */
class NoPinningTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Path MAIN_SOURCES = Path.of("src/main/java/io/loomcast/gateway");
    private static final List<String> HOT_PATH_PACKAGES = List.of("protocol", "media", "hub", "session");
    private static final Pattern SYNCHRONIZED = Pattern.compile("\\bsynchronized\\b");

    @TempDir
    Path dir;

    /** Parks inside its class initializer: a virtual thread that does this pins even on JDK 25. */
    private static final class PinsInClassInit {
        static {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }

        static void touch() { }
    }

    /** The same, for the control's second try. */
    private static final class PinsInClassInitAgain {
        static {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }

        static void touch() { }
    }

    @Test
    void noVirtualThreadPinsInGatewayCodeDuringPublishAndPlay() throws Exception {
        TestMedia warmUp = TestMedia.generate(dir, "warm-up", 160, 120, 25, 1, 25, "150k");
        TestMedia media = TestMedia.generate(dir, "pin", 160, 120, 25, 3, 25, "150k");
        List<RecordedEvent> pinned = new CopyOnWriteArrayList<>();
        try (Gateway gateway = TestGateway.start("")) {
            // Loading a class, initialising it and linking a call site pin a virtual thread even on JDK 25
            // (JEP 491 leaves them), once per class or call site. A first run gets those done, so the
            // recorded run shows what happens on every connection, not what happens once per JVM.
            publishAndPlay(gateway, warmUp, "warm-up");
            try (RecordingStream jfr = new RecordingStream()) {
                jfr.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
                jfr.onEvent("jdk.VirtualThreadPinned", pinned::add);
                jfr.startAsync();
                // The control: a pin we cause on purpose, delivered before the run, so a recording that sees
                // nothing cannot pass. Once in many CI runs JFR did not deliver it while a later event of the same
                // recording came through, so a second class that pins the same way gets one more try.
                Thread.ofVirtual().start(PinsInClassInit::touch).join();
                if (!controlDelivered(pinned)) {
                    Thread.ofVirtual().start(PinsInClassInitAgain::touch).join();
                }
                assertTrue(controlDelivered(pinned),
                        "the deliberate pin was not recorded, so the recording proves nothing; events: " + pinned);
                publishAndPlay(gateway, media, "pin");
                jfr.stop(); // delivers every event recorded so far
            }
        }
        List<String> ours = pinned.stream().map(NoPinningTest::stack).filter(NoPinningTest::inGatewayCode).toList();
        assertTrue(ours.isEmpty(), "virtual threads pinned in gateway code:\n" + String.join("\n\n", ours));
    }

    /** Whether the control's pin has been delivered, waiting a few of the stream's flushes (about one a second). */
    private static boolean controlDelivered(List<RecordedEvent> pinned) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (pinned.stream().noneMatch(e -> stack(e).contains("PinsInClassInit"))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50); // polling pace, not synchronisation: the condition decides
        }
        return true;
    }

    /** ffmpeg publishes {@code media} to live/{@code name}; three of our players and ffmpeg play all of it. */
    private void publishAndPlay(Gateway gateway, TestMedia media, String name) throws Exception {
        String path = "live/" + name;
        String url = TestGateway.url(gateway, path);
        try (Resources r = new Resources()) {
            HubRecorder reference = r.add(HubRecorder.subscribe(gateway.hub(), path));
            List<TestPlayer> players = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                players.add(r.add(TestPlayer.play(gateway.rtmpAddress(), "live", name)));
            }
            ExternalPeer ffmpegPlayer = r.add(Player.FFMPEG.start(url, dir.resolve(name + "-ffmpeg.flv"),
                    dir.resolve(name + "-ffmpeg.log")));
            TestGateway.awaitSubscribers(gateway, path, 5, DEADLINE);
            ExternalPeer publisher = r.add(Peers.ffmpegPublish(media.file(), url, dir.resolve(name + "-publisher.log"),
                    List.of()));
            assertEquals(0, publisher.awaitExit(DEADLINE), publisher.output());
            reference.awaitSourceEnded(1, DEADLINE);
            for (TestPlayer p : players) {
                p.awaitEvent("NetStream.Play.UnpublishNotify", DEADLINE);
                Playout.assertPlayed(name + " player", reference.frames(), p.frames(), Join.BEFORE_PUBLISH, 0);
            }
            assertEquals(0, ffmpegPlayer.awaitExit(DEADLINE), ffmpegPlayer.output());
        }
    }

    @Test
    void noSynchronizedOnTheHotPath() throws IOException {
        // The scan itself: comments and string literals do not count, code does.
        assertFalse(SYNCHRONIZED.matcher(code("/** never {@code synchronized} */ class A { String s = \"synchronized\"; }"))
                .find());
        assertTrue(SYNCHRONIZED.matcher(code("class A { void f() { synchronized (this) { } } }")).find());

        assertTrue(Files.isDirectory(MAIN_SOURCES), MAIN_SOURCES.toAbsolutePath() + " missing; tests run from gateway/");
        List<String> offenders = new ArrayList<>();
        int files = 0;
        for (String pkg : HOT_PATH_PACKAGES) {
            try (Stream<Path> paths = Files.walk(MAIN_SOURCES.resolve(pkg))) {
                for (Path p : paths.filter(f -> f.toString().endsWith(".java")).toList()) {
                    files++;
                    String[] lines = code(Files.readString(p)).split("\n", -1);
                    for (int i = 0; i < lines.length; i++) {
                        if (SYNCHRONIZED.matcher(lines[i]).find()) {
                            offenders.add("%s:%d: %s".formatted(p, i + 1, lines[i].strip()));
                        }
                    }
                }
            }
        }
        assertTrue(files > 50, "scanned only " + files + " files");
        assertTrue(offenders.isEmpty(), "synchronized pins virtual threads on JDK 21; use a ReentrantLock:\n"
                + String.join("\n", offenders));
    }

    /** Java source with comments, strings and char literals blanked out; line breaks kept for line numbers. */
    static String code(String source) {
        Matcher m = Pattern.compile("//[^\n]*|/\\*.*?\\*/|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\n])*\"|'(?:\\\\.|[^'\\\\\n])*'",
                Pattern.DOTALL).matcher(source);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group().replaceAll("[^\n]", " ")));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String stack(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return "(no stack trace)";
        }
        return e.getStackTrace().getFrames().stream().map(NoPinningTest::frame).collect(Collectors.joining("\n  "));
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber();
    }

    /** A frame of the gateway's own code; this test's control and the test helpers do not count. */
    private static boolean inGatewayCode(String stack) {
        return stack.lines().map(String::strip).anyMatch(f -> f.startsWith("io.loomcast.gateway.")
                && !f.startsWith("io.loomcast.gateway.it.") && !f.startsWith("io.loomcast.gateway.testing."));
    }
}
