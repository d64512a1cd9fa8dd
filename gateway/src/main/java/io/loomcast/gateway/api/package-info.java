/**
 * The control plane: the HTTP API ({@code /api/v1}), health, Prometheus metrics and the dashboard, served by the
 * JDK's HTTP server on virtual threads. Handlers read snapshots (hub, relay, sessions, transcoder) and hand every
 * write to {@link io.loomcast.gateway.api.ControlPlane}, which checks it with the config binder, persists it and
 * applies it through the same reconciler as a reload. Nothing here touches a session directly.
 */
package io.loomcast.gateway.api;
