package io.transferportal.requests;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

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

	/**
	 * Users to warn: their access ends before {@code warnUntil} and nobody was warned.
	 */
	@Query("""
			select m from ManagedUser m
			where m.status = io.transferportal.requests.ManagedUser.Status.ACTIVE and m.suspension is null
				and m.expiresAt is not null and m.expiresAt <= :warnUntil and m.expiryWarnedAt is null
			order by m.expiresAt
			""")
	List<ManagedUser> findExpiryWarningsDue(@Param("warnUntil") Instant warnUntil);

	/** Users whose access ended at or before {@code now} and who may still sign in. */
	@Query("""
			select m from ManagedUser m
			where m.status = io.transferportal.requests.ManagedUser.Status.ACTIVE and m.suspension is null
				and m.expiresAt is not null and m.expiresAt <= :now
			order by m.expiresAt
			""")
	List<ManagedUser> findExpired(@Param("now") Instant now);

	/** Users with keys a rotation retires at or before {@code now}. */
	@Query("""
			select m from ManagedUser m
			where m.status = io.transferportal.requests.ManagedUser.Status.ACTIVE and m.retireAt is not null
				and m.retireAt <= :now
			order by m.retireAt
			""")
	List<ManagedUser> findRetirementsDue(@Param("now") Instant now);

	/**
	 * Active users not suspended (for any reason) whose last grant or confirmation lies
	 * before {@code lastBefore}: with {@code now - review-interval}, those whose review
	 * is overdue at {@code now}, as {@link ManagedUserView.Lifecycle#reviewDueAt}
	 * computes it (the later of grant and review; a user with neither is never due).
	 * Oldest first.
	 */
	@Query("""
			select m from ManagedUser m
			where m.status = :active and m.suspension is null
				and (case when m.grantedAt is null or (m.reviewedAt is not null and m.reviewedAt > m.grantedAt)
					then m.reviewedAt else m.grantedAt end) < :lastBefore
			order by (case when m.grantedAt is null or (m.reviewedAt is not null and m.reviewedAt > m.grantedAt)
					then m.reviewedAt else m.grantedAt end), m.id
			""")
	List<ManagedUser> findUnsuspendedReviewedBefore(@Param("active") ManagedUser.Status active,
			@Param("lastBefore") Instant lastBefore);

	/**
	 * Active users (suspended ones too: a confirmation gives them their keys back) whose
	 * last grant or confirmation lies before {@code lastBefore}, oldest first: the
	 * reviews page's list of users due soon or overdue.
	 */
	@Query(value = """
			select m from ManagedUser m
			where m.status = :active
				and (case when m.grantedAt is null or (m.reviewedAt is not null and m.reviewedAt > m.grantedAt)
					then m.reviewedAt else m.grantedAt end) < :lastBefore
			order by (case when m.grantedAt is null or (m.reviewedAt is not null and m.reviewedAt > m.grantedAt)
					then m.reviewedAt else m.grantedAt end), m.id
			""", countQuery = """
			select count(m) from ManagedUser m
			where m.status = :active
				and (case when m.grantedAt is null or (m.reviewedAt is not null and m.reviewedAt > m.grantedAt)
					then m.reviewedAt else m.grantedAt end) < :lastBefore
			""")
	Page<ManagedUser> findReviewedBefore(@Param("active") ManagedUser.Status active,
			@Param("lastBefore") Instant lastBefore, Pageable pageable);

}
