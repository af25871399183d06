package io.transferportal.requests;

import jakarta.persistence.PrePersist;
import jakarta.persistence.PreRemove;
import jakarta.persistence.PreUpdate;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Tells {@link ManagedUserSearches} when a managed user is written, so that no count or
 * page read before the write's transaction ends is kept. Hibernate creates it through
 * Spring (Spring Boot sets Spring's bean container), which injects the searches. Every
 * write of a managed user goes through JPA; a bulk update in JPQL or SQL would bypass
 * this and must not be added without telling the searches.
 */
class ManagedUserChanges {

	/**
	 * Looked up at the first write: Hibernate creates this while the entity manager
	 * factory starts, before the repository the searches query through exists.
	 */
	private final ObjectProvider<ManagedUserSearches> searches;

	ManagedUserChanges(ObjectProvider<ManagedUserSearches> searches) {
		this.searches = searches;
	}

	@PrePersist
	@PreUpdate
	@PreRemove
	void changing(ManagedUser user) {
		this.searches.getObject().changing();
	}

}
