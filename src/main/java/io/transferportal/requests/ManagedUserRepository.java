package io.transferportal.requests;

import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface ManagedUserRepository extends JpaRepository<ManagedUser, Long> {

	Optional<ManagedUser> findByServerIdAndUserName(String serverId, String userName);

	List<ManagedUser> findByStatusOrderByServerIdAscUserNameAsc(ManagedUser.Status status);

	/**
	 * Active users whose server or user name contains {@code text} (any case), optionally
	 * of one health.
	 */
	@org.springframework.data.jpa.repository.Query("""
			select m from ManagedUser m
			where m.status = io.transferportal.requests.ManagedUser.Status.ACTIVE
				and (:text is null or lower(m.userName) like :text or lower(m.serverId) like :text)
				and (:health is null or m.health = :health)
			""")
	Page<ManagedUser> search(
			@org.springframework.data.repository.query.Param("text") @org.jspecify.annotations.Nullable String text,
			@org.springframework.data.repository.query.Param("health") @org.jspecify.annotations.Nullable Health health,
			Pageable pageable);

	@org.springframework.data.jpa.repository.Query("""
			select m.health, count(m) from ManagedUser m
			where m.status = io.transferportal.requests.ManagedUser.Status.ACTIVE group by m.health
			""")
	List<Object[]> countByHealth();

}
