package io.loomcast.gateway.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's certificate chain and private key from PEM text, as certbot, openssl and most CAs write them:
 * {@code PRIVATE KEY} (PKCS#8: RSA, EC, Ed25519), {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY}
 * (SEC1, as {@code openssl ecparam -genkey} writes it). The traditional forms are wrapped into PKCS#8, which
 * is what the JDK reads. The key must belong to the first certificate: a mismatched pair is refused here
 * rather than failing every client's handshake later.
 *
 * @param chain the server's certificate first
 * @param key   its private key
 */
record PemCredentials(X509Certificate[] chain, PrivateKey key) {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** rsaEncryption, 1.2.840.113549.1.1.1, as an AlgorithmIdentifier with its NULL parameters. */
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    /** id-ecPublicKey, 1.2.840.10045.2.1. */
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");

    /**
     * Reads both files' text.
     *
     * @throws GeneralSecurityException with a message saying which file is wrong and how
     */
    static PemCredentials parse(byte[] certificatePem, byte[] keyPem) throws GeneralSecurityException {
        X509Certificate[] chain = certificates(certificatePem);
        PrivateKey key = privateKey(new String(keyPem, StandardCharsets.US_ASCII));
        checkPair(chain[0], key);
        return new PemCredentials(chain, key);
    }

    private static X509Certificate[] certificates(byte[] pem) throws GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        } catch (CertificateException e) {
            throw new GeneralSecurityException("the certificate file is not PEM certificates: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("the certificate file holds no certificate");
        }
        return certs.stream().map(c -> (X509Certificate) c).toArray(X509Certificate[]::new);
    }

    private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String label = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException("the key file's " + label + " block is not base64");
            }
            switch (label) {
                case "PRIVATE KEY" -> {
                    return pkcs8(der);
                }
                case "RSA PRIVATE KEY" -> {
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                            sequence(integerZero(), RSA_ALGORITHM, tlv(0x04, der))));
                }
                case "EC PRIVATE KEY" -> {
                    byte[] algorithm = sequence(EC_PUBLIC_KEY_OID, sec1CurveOid(der));
                    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                            sequence(integerZero(), algorithm, tlv(0x04, der))));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new GeneralSecurityException(
                        "the private key is encrypted; write it unencrypted (openssl pkey -in KEY -out PLAIN)");
                default -> { } // EC PARAMETERS and the like come before the key in some files
            }
        }
        throw new GeneralSecurityException("the key file holds no PEM private key (BEGIN PRIVATE KEY, "
                + "BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("the PKCS#8 private key is not RSA, EC or EdDSA", last);
    }

    /** SEC1 ECPrivateKey: SEQUENCE { version, privateKey, [0] parameters (the named curve's OID), ... }. */
    private static byte[] sec1CurveOid(byte[] der) throws GeneralSecurityException {
        Der seq = Der.read(der, 0);
        if (seq.tag != 0x30) {
            throw new GeneralSecurityException("the EC PRIVATE KEY block is not a SEC1 key");
        }
        int at = seq.contentStart;
        while (at < seq.end) {
            Der item = Der.read(der, at);
            if (item.tag == 0xA0) {
                Der oid = Der.read(der, item.contentStart);
                if (oid.tag == 0x06) {
                    return Arrays.copyOfRange(der, item.contentStart, oid.end);
                }
            }
            at = item.end;
        }
        throw new GeneralSecurityException("the EC PRIVATE KEY names no curve; write it as PKCS#8 "
                + "(openssl pkey -in KEY -out KEY8)");
    }

    /** The key must sign what the certificate's public key verifies. */
    private static void checkPair(X509Certificate cert, PrivateKey key) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(sig)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // A key of another type than the certificate's lands here too.
        }
        throw new GeneralSecurityException("the private key does not belong to the certificate "
                + cert.getSubjectX500Principal().getName());
    }

    private static byte[] integerZero() {
        return new byte[] {0x02, 0x01, 0x00};
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        return tlv(0x30, content.toByteArray());
    }

    /** DER tag, definite length, content. */
    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xFFFFFF ? 4 : n > 0xFFFF ? 3 : n > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i) & 0xFF);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** One DER element's tag and extent; enough to walk a SEC1 key. */
    private record Der(int tag, int contentStart, int end) {
        static Der read(byte[] der, int at) throws GeneralSecurityException {
            if (at + 2 > der.length) {
                throw new GeneralSecurityException("truncated DER in the key file");
            }
            int tag = der[at] & 0xFF;
            int first = der[at + 1] & 0xFF;
            int length;
            int start;
            if (first < 0x80) {
                length = first;
                start = at + 2;
            } else {
                int bytes = first & 0x7F;
                if (bytes == 0 || bytes > 3 || at + 2 + bytes > der.length) {
                    throw new GeneralSecurityException("bad DER length in the key file");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = length << 8 | der[at + 2 + i] & 0xFF;
                }
                start = at + 2 + bytes;
            }
            if (start + length > der.length) {
                throw new GeneralSecurityException("truncated DER in the key file");
            }
            return new Der(tag, start, start + length);
        }
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }

    @Override
    public String toString() {
        return "PemCredentials[" + chain[0].getSubjectX500Principal().getName() + ", " + key.getAlgorithm() + " key]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PemCredentials p && Arrays.equals(chain, p.chain) && key.equals(p.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(chain);
    }
}
