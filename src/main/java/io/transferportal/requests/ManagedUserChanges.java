package io.transferportal.requests;

import jakarta.persistence.PrePersist;
import jakarta.persistence.PreRemove;
import jakarta.persistence.PreUpdate;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Tells {@link ManagedUserCounts} when a managed user is written, so that no count read
 * before the write's transaction ends is kept. Hibernate creates it through Spring
 * (Spring Boot sets Spring's bean container), which injects the counts. Every write of a
 * managed user goes through JPA; a bulk update in JPQL or SQL would bypass this and must
 * not be added without telling the counts.
 */
class ManagedUserChanges {

	/**
	 * Looked up at the first write: Hibernate creates this while the entity manager
	 * factory starts, before the repository the counts query through exists.
	 */
	private final ObjectProvider<ManagedUserCounts> counts;

	ManagedUserChanges(ObjectProvider<ManagedUserCounts> counts) {
		this.counts = counts;
	}

	@PrePersist
	@PreUpdate
	@PreRemove
	void changing(ManagedUser user) {
		this.counts.getObject().changing();
	}

}
