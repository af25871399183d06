/**
 * The versioned REST API for ticketing systems (ServiceNow, Jira, ...): token
 * authentication, requests idempotent on the ticket reference, RFC 9457 problem
 * documents, per-token rate limits, and signed status callbacks.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "requests", "provisioning", "accounts" })
@org.jspecify.annotations.NullMarked
package io.transferportal.ticketing;
