package io.loomcast.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.api.ControlPlane;
import io.loomcast.gateway.testing.LogCapture;
import io.loomcast.gateway.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP's path: a renewed certificate is taken even when the config file itself is being edited and broken. */
class CertificateReloadTest {
    @TempDir
    Path dir;

    @Test
    void aReloadRejectedForABrokenConfigStillReadsTheCertificateAgain() throws Exception {
        TestCertificates first = TestCertificates.create(Files.createDirectories(dir.resolve("a")));
        TestCertificates second = TestCertificates.create(Files.createDirectories(dir.resolve("b")));
        Path cert = Files.copy(first.serverCert(), dir.resolve("cert.pem"));
        Path key = Files.copy(first.serverKey(), dir.resolve("key.pem"));
        Path file = Files.writeString(dir.resolve("gateway.yaml"), """
                server:
                  listen: 127.0.0.1:0
                  tls: { listen: 127.0.0.1:0, certificate: "%s", privateKey: "%s" }
                """.formatted(cert, key));
        ControlPlane.Loaded loaded = ControlPlane.load(file, Map.of());
        ControlPlane control = new ControlPlane(file, Map.of(), loaded);
        try (LogCapture log = LogCapture.of("io.loomcast.gateway");
             Gateway gw = Gateway.start(loaded.config(), control);
             Reloader reloader = new Reloader(file, control, gw::reloadCertificate)) {
            SSLContext before = gw.rtmp().tls().orElseThrow().context();
            Files.writeString(file, "server: {chunkSize: 1}\n");
            Files.copy(second.serverKey(), key, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.serverCert(), cert, StandardCopyOption.REPLACE_EXISTING);
            assertFalse(reloader.reload("SIGHUP"), "the broken config was applied");
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("reload (SIGHUP) rejected")), log.toString());
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("TLS certificate reloaded (SIGHUP)")),
                    log.toString());
            assertTrue(gw.rtmp().tls().orElseThrow().context() != before, "the context was not replaced");
        }
    }
}
