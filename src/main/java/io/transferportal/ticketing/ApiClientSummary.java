package io.transferportal.ticketing;

import java.time.Instant;
import java.util.Set;

/** An API client without its token or callback secret. */
public record ApiClientSummary(String name, Set<String> scopes, boolean enabled, Instant createdAt) {
}
