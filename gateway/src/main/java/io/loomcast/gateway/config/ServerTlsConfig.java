package io.loomcast.gateway.config;

import java.nio.file.Path;

/**
 * The RTMPS listener beside plain RTMP. The files are read when the listener starts and again on SIGHUP or when
 * they change; the config loader does not open them.
 *
 * @param listen      where RTMPS is accepted
 * @param certificate PEM certificate chain, the server's own certificate first
 * @param privateKey  PEM private key (PKCS#8, or PKCS#1 RSA, or SEC1 EC)
 */
public record ServerTlsConfig(ListenAddress listen, Path certificate, Path privateKey) {}
