package io.loomcast.gateway.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A throwaway CA and a server certificate it signed, made with openssl for the RTMPS tests: the server
 * certificate names {@code IP:127.0.0.1} and {@code DNS:localhost}, so a client that checks host names
 * (ours does) accepts it for either, and only when it trusts {@link #caCert()}.
 *
 * @param caCert     the CA certificate, PEM: what a client puts in {@code tls.caFile}
 * @param serverKey  the server's private key, PEM
 * @param serverCert the server's certificate, PEM
 */
public record TestCertificates(Path caCert, Path serverKey, Path serverCert) {

    public static TestCertificates create(Path dir) throws Exception {
        String openssl = ExternalPeer.require("openssl").toString();
        Path caKey = dir.resolve("ca.key");
        Path ca = dir.resolve("ca.pem");
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.pem");
        Path ext = dir.resolve("server.ext");
        Files.writeString(ext, """
                basicConstraints = CA:FALSE
                keyUsage = digitalSignature, keyEncipherment
                extendedKeyUsage = serverAuth
                subjectAltName = IP:127.0.0.1, DNS:localhost
                """);
        // EC keys: generated in milliseconds, where RSA takes a noticeable part of a second.
        run(dir, "ca", List.of(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", caKey.toString(), "-out", ca.toString(), "-days", "2",
                "-subj", "/CN=Loomcast test CA"));
        run(dir, "csr", List.of(openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=localhost"));
        run(dir, "sign", List.of(openssl, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(),
                "-CAkey", caKey.toString(), "-CAcreateserial", "-out", cert.toString(), "-days", "2",
                "-extfile", ext.toString()));
        return new TestCertificates(ca, key, cert);
    }

    private static void run(Path dir, String step, List<String> command) throws Exception {
        try (ExternalPeer p = ExternalPeer.start(dir.resolve("openssl-" + step + ".log"), command)) {
            p.awaitExit();
        }
    }
}
