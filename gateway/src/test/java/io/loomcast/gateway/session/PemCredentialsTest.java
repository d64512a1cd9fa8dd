package io.loomcast.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every private key form the contract names, made by openssl, and the mistakes a reload must refuse. */
class PemCredentialsTest {
    @TempDir
    Path dir;

    private byte[] openssl(String name, String... args) throws Exception {
        Path out = dir.resolve(name);
        // The subcommand, then -out (genrsa wants its key size last).
        List<String> cmd = new java.util.ArrayList<>(List.of(ExternalPeer.require("openssl").toString(), args[0],
                "-out", out.toString()));
        cmd.addAll(List.of(args).subList(1, args.length));
        try (ExternalPeer p = ExternalPeer.start(dir.resolve(name + ".log"), cmd)) {
            p.awaitExit();
        }
        return Files.readAllBytes(out);
    }

    /** A self-signed certificate for {@code key}. */
    private byte[] selfSigned(String name, Path key) throws Exception {
        return openssl(name, "req", "-x509", "-new", "-key", key.toString(), "-days", "1", "-subj", "/CN=" + name);
    }

    @Test
    void pkcs8EcAsTheTestCaWritesIt() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        PemCredentials pem = PemCredentials.parse(Files.readAllBytes(certs.serverCert()),
                Files.readAllBytes(certs.serverKey()));
        assertEquals("EC", pem.key().getAlgorithm());
        assertTrue(new String(Files.readAllBytes(certs.serverKey()), StandardCharsets.US_ASCII)
                .contains("BEGIN PRIVATE KEY"));
    }

    @Test
    void pkcs1RsaAndSec1EcKeysAreRead() throws Exception {
        byte[] rsa = openssl("rsa.key", "genrsa", "-traditional", "2048");
        assertTrue(new String(rsa, StandardCharsets.US_ASCII).contains("BEGIN RSA PRIVATE KEY"));
        byte[] rsaCert = selfSigned("rsa.pem", dir.resolve("rsa.key"));
        assertEquals("RSA", PemCredentials.parse(rsaCert, rsa).key().getAlgorithm());

        // ecparam -genkey writes EC PARAMETERS, then EC PRIVATE KEY (SEC1).
        byte[] ec = openssl("ec.key", "ecparam", "-name", "secp384r1", "-genkey");
        assertTrue(new String(ec, StandardCharsets.US_ASCII).contains("BEGIN EC PARAMETERS"));
        assertTrue(new String(ec, StandardCharsets.US_ASCII).contains("BEGIN EC PRIVATE KEY"));
        byte[] ecCert = selfSigned("ec.pem", dir.resolve("ec.key"));
        assertEquals("EC", PemCredentials.parse(ecCert, ec).key().getAlgorithm());
    }

    @Test
    void mistakesAreRefusedWithAMessageThatSaysWhich() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        byte[] cert = Files.readAllBytes(certs.serverCert());
        byte[] key = Files.readAllBytes(certs.serverKey());
        byte[] otherKey = openssl("other.key", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        assertTrue(message(cert, otherKey).contains("does not belong to the certificate"));
        assertTrue(message(key, key).contains("certificate"), "a key where the certificate should be");
        assertTrue(message(cert, cert).contains("no PEM private key"));
        assertTrue(message(new byte[0], key).contains("no certificate"));
        byte[] encrypted = openssl("enc.key", "pkcs8", "-topk8", "-in", certs.serverKey().toString(), "-passout",
                "pass:pw");
        assertTrue(message(cert, encrypted).contains("encrypted"));
        byte[] truncated = java.util.Arrays.copyOf(key, key.length / 2);
        assertThrows(GeneralSecurityException.class, () -> PemCredentials.parse(cert, truncated));
    }

    private static String message(byte[] cert, byte[] key) {
        return assertThrows(GeneralSecurityException.class, () -> PemCredentials.parse(cert, key)).getMessage();
    }
}
