package io.loomcast.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** coreutils' sha256sum over the bytes Rendezvous hashes: a second implementation to pin the score against. */
final class Sha256Cli {
    private Sha256Cli() {}

    /** The first 16 hex digits of SHA-256(key, 0x00, ordinal as 4 big-endian bytes). */
    static String first8Hex(String key, int ordinal) {
        try {
            Process p = new ProcessBuilder("sha256sum").redirectErrorStream(true).start();
            p.getOutputStream().write(key.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().write(new byte[] {0, (byte) (ordinal >>> 24), (byte) (ordinal >>> 16),
                    (byte) (ordinal >>> 8), (byte) ordinal});
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            p.waitFor(10, TimeUnit.SECONDS);
            assertEquals(0, p.exitValue(), out);
            return out.substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
