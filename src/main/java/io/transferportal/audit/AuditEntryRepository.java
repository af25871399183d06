package io.transferportal.audit;

import org.springframework.data.repository.Repository;

/**
 * Insert only: the trail has no update or delete path. Reads go through
 * {@link AuditTrail#search}.
 */
interface AuditEntryRepository extends Repository<AuditEntry, Long> {

	AuditEntry save(AuditEntry entry);

}
