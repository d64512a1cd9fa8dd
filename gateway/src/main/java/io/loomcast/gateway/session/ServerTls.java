package io.loomcast.gateway.session;

import io.loomcast.gateway.config.ServerTlsConfig;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMPS listener's certificate: TLS 1.2 and 1.3 through the JDK, from PEM files that are read again on
 * {@link #reload} (SIGHUP) and whenever their bytes change (polled, so renewals by certbot, by a Kubernetes
 * secret's symlink swap or by hand are all seen). Each connection takes the context current when it was
 * accepted, so sessions already open keep their certificate. A file that does not load leaves the previous
 * certificate in place, with an error in the log.
 */
public final class ServerTls implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final char[] IN_MEMORY_PASSWORD = "loomcast".toCharArray();
    /**
     * One second past a ticket's longest lifetime (RFC 8446 4.6.1: 7 days), which makes the JDK send no TLS 1.3
     * NewSessionTicket. RTMP sessions last hours and are not resumed, and librtmp (rtmpdump and everything built
     * on it) fails its RTMP handshake when a ticket arrives after the TLS one. The JDK-wide switch,
     * {@code jdk.tls.server.newSessionTicketCount=0}, would have to be set before any TLS class loads.
     */
    private static final int NO_TICKETS_SESSION_TIMEOUT_SECONDS = 7 * 24 * 3600 + 1;
    /** TLS 1.2 sessions kept for resumption by ID; few clients resume, and each entry is a few KiB. */
    private static final int SESSION_CACHE_ENTRIES = 1000;

    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicReference<SSLContext> current = new AtomicReference<>();
    private volatile ServerTlsConfig config;
    /** The files' bytes as last seen by the poller (loaded or not), so a bad file is reported once. */
    private byte[] seenCertificate = new byte[0];
    private byte[] seenKey = new byte[0];
    private volatile String subject = "";
    private Thread poller;
    private volatile boolean closed;

    /**
     * Loads the files once.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public ServerTls(ServerTlsConfig config) throws IOException {
        this.config = config;
        lock.lock();
        try {
            byte[] cert = read(config.certificate().toString());
            byte[] key = read(config.privateKey().toString());
            try {
                install(cert, key);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot use %s and %s: %s".formatted(config.certificate(), config.privateKey(),
                        e.getMessage()), e);
            }
        } finally {
            lock.unlock();
        }
    }

    private static byte[] read(String file) throws IOException {
        try {
            return Files.readAllBytes(java.nio.file.Path.of(file));
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** Checks the files every {@code interval} on a virtual thread, reloading when their bytes change. */
    public void watch(Duration interval) {
        poller = Thread.ofVirtual().name("tls-watch").start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                reloadIfChanged();
            }
        });
    }

    /** Reads the files again (SIGHUP, or a reload that names other files); returns whether the new ones took. */
    public boolean reload(ServerTlsConfig next, String why) {
        lock.lock();
        try {
            config = next;
            byte[] cert;
            byte[] key;
            try {
                cert = read(next.certificate().toString());
                key = read(next.privateKey().toString());
            } catch (IOException e) {
                log.error("TLS certificate reload ({}) failed, keeping the previous certificate: {}", why, e.getMessage());
                return false;
            }
            seenCertificate = cert;
            seenKey = key;
            return tryInstall(cert, key, why);
        } finally {
            lock.unlock();
        }
    }

    private void reloadIfChanged() {
        lock.lock();
        try {
            ServerTlsConfig c = config;
            byte[] cert;
            byte[] key;
            try {
                cert = Files.readAllBytes(c.certificate());
                key = Files.readAllBytes(c.privateKey());
            } catch (IOException e) {
                // Mid-rename, or gone: the next tick sees the outcome; SIGHUP reports it if it persists.
                return;
            }
            if (Arrays.equals(cert, seenCertificate) && Arrays.equals(key, seenKey)) {
                return;
            }
            seenCertificate = cert;
            seenKey = key;
            tryInstall(cert, key, "the files changed");
        } finally {
            lock.unlock();
        }
    }

    private boolean tryInstall(byte[] cert, byte[] key, String why) {
        try {
            install(cert, key);
            log.info("TLS certificate reloaded ({}): {}", why, subject);
            return true;
        } catch (GeneralSecurityException e) {
            log.error("TLS certificate reload ({}) failed, keeping the previous certificate: {} and {}: {}", why,
                    config.certificate(), config.privateKey(), e.getMessage());
            return false;
        }
    }

    private void install(byte[] cert, byte[] key) throws GeneralSecurityException {
        PemCredentials pem = PemCredentials.parse(cert, key);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        store.setKeyEntry("server", pem.key(), IN_MEMORY_PASSWORD, pem.chain());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, IN_MEMORY_PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        ctx.getServerSessionContext().setSessionTimeout(NO_TICKETS_SESSION_TIMEOUT_SECONDS);
        ctx.getServerSessionContext().setSessionCacheSize(SESSION_CACHE_ENTRIES);
        current.set(ctx);
        seenCertificate = cert;
        seenKey = key;
        subject = pem.chain()[0].getSubjectX500Principal().getName() + ", valid until "
                + pem.chain()[0].getNotAfter().toInstant();
    }

    /** The context new connections get now. */
    public SSLContext context() {
        return current.get();
    }

    /** The certificate's subject and expiry, for logs. */
    public String subject() {
        return subject;
    }

    /**
     * The server side of TLS over an accepted socket, with {@code ctx} (taken at accept). The handshake has
     * not started: the session starts it under its handshake deadline.
     */
    static SSLSocket serverSocket(SSLContext ctx, Socket accepted) throws IOException {
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(accepted, null, true);
        SSLParameters params = tls.getSSLParameters();
        params.setProtocols(PROTOCOLS);
        tls.setSSLParameters(params);
        tls.setUseClientMode(false);
        return tls;
    }

    @Override
    public void close() {
        closed = true;
        if (poller != null) {
            poller.interrupt();
        }
    }
}
