package io.transferportal.requests;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * Managed users. The lifecycle searches apply the rules of
 * {@link ManagedUserView.Lifecycle} in the database, with cut-offs computed from the
 * settings and the clock ({@link LifecycleCutoffs}).
 */
interface ManagedUserRepository extends JpaRepository<ManagedUser, Long> {

	/**
	 * Active users whose server or user name contains {@code :text} (any case),
	 * optionally of one health: the rows of every search, listed by the {@code select m}
	 * methods and counted by the {@code count} ones.
	 */
	String ACTIVE_MATCHING = """
			from ManagedUser m
			where m.status = io.transferportal.requests.ManagedUser.Status.ACTIVE
				and (:text is null or lower(m.userName) like :text or lower(m.serverId) like :text)
				and (:health is null or m.health = :health)
			""";

	/** Users whose access ends at or before the cut-off. */
	String EXPIRING = " and m.suspension is null and m.expiresAt <= :expiringBy";

	/** Expired or suspended users. */
	String SUSPENDED = " and m.suspension is not null";

	/** Users holding a key imported before the cut-off. */
	String ROTATION_DUE = " and m.oldestKeyImportedAt < :keysImportedBefore";

	/**
	 * Users whose grant and last review (the later of the two counts) are both before the
	 * cut-off.
	 */
	String REVIEW_OVERDUE = """
				and (m.grantedAt is not null or m.reviewedAt is not null)
				and (m.grantedAt is null or m.grantedAt < :reviewedBefore)
				and (m.reviewedAt is null or m.reviewedAt < :reviewedBefore)
			""";

	/**
	 * The managed users' generation in the database (one row, V17), which
	 * {@link ManagedUserSearches} reads to know whether another instance sharing the
	 * database changed a managed user since it kept a count or page.
	 */
	@Query(value = "select generation from managed_user_generation where id = 1", nativeQuery = true)
	long generation();

	/**
	 * Advances the generation, in a transaction of its own, on the thread
	 * {@link ManagedUserSearches} keeps for it (which holds no other connection while it
	 * waits for one).
	 */
	@Modifying
	@Transactional
	@Query(value = "update managed_user_generation set generation = generation + 1 where id = 1", nativeQuery = true)
	int advanceGeneration();

	Optional<ManagedUser> findByServerIdAndUserName(String serverId, String userName);

	List<ManagedUser> findByStatusOrderByServerIdAscUserNameAsc(ManagedUser.Status status);

	/**
	 * The approved specs of the users in one status, by server and user name: the specs
	 * alone, without loading each user and its checks.
	 */
	@Query("select m.spec from ManagedUser m where m.status = :status order by m.serverId, m.userName")
	List<StoredSpec> findSpecsByStatus(@Param("status") ManagedUser.Status status);

	// The searches list one page without counting (a list with a Pageable): the
	// totals come from the count methods through ManagedUserSearches, which keeps
	// them between changes instead of scanning every active user for each page.

	/** One page of {@link #ACTIVE_MATCHING}. */
	@Query("select m " + ACTIVE_MATCHING)
	List<ManagedUser> search(@Param("text") @Nullable String text, @Param("health") @Nullable Health health,
			Pageable pageable);

	/** Users the portal removed, whose server or user name contains {@code :text}. */
	@Query(value = """
			select m from ManagedUser m
			where m.status = io.transferportal.requests.ManagedUser.Status.DELETED
				and (:text is null or lower(m.userName) like :text or lower(m.serverId) like :text)
			""", countQuery = """
			select count(m) from ManagedUser m
			where m.status = io.transferportal.requests.ManagedUser.Status.DELETED
				and (:text is null or lower(m.userName) like :text or lower(m.serverId) like :text)
			""")
	Page<ManagedUser> searchDeprovisioned(@Param("text") @Nullable String text, Pageable pageable);

	@Query("select count(m) " + ACTIVE_MATCHING)
	long countSearch(@Param("text") @Nullable String text, @Param("health") @Nullable Health health);

	@Query("select m " + ACTIVE_MATCHING + EXPIRING)
	List<ManagedUser> searchExpiring(@Param("text") @Nullable String text, @Param("health") @Nullable Health health,
			@Param("expiringBy") Instant expiringBy, Pageable pageable);

	@Query("select count(m) " + ACTIVE_MATCHING + EXPIRING)
	long countExpiring(@Param("text") @Nullable String text, @Param("health") @Nullable Health health,
			@Param("expiringBy") Instant expiringBy);

	@Query("select m " + ACTIVE_MATCHING + SUSPENDED)
	List<ManagedUser> searchSuspended(@Param("text") @Nullable String text, @Param("health") @Nullable Health health,
			Pageable pageable);

	@Query("select count(m) " + ACTIVE_MATCHING + SUSPENDED)
	long countSuspended(@Param("text") @Nullable String text, @Param("health") @Nullable Health health);

	@Query("select m " + ACTIVE_MATCHING + ROTATION_DUE)
	List<ManagedUser> searchRotationDue(@Param("text") @Nullable String text, @Param("health") @Nullable Health health,
			@Param("keysImportedBefore") Instant keysImportedBefore, Pageable pageable);

	@Query("select count(m) " + ACTIVE_MATCHING + ROTATION_DUE)
	long countRotationDue(@Param("text") @Nullable String text, @Param("health") @Nullable Health health,
			@Param("keysImportedBefore") Instant keysImportedBefore);

	@Query("select m " + ACTIVE_MATCHING + REVIEW_OVERDUE)
	List<ManagedUser> searchReviewOverdue(@Param("text") @Nullable String text,
			@Param("health") @Nullable Health health, @Param("reviewedBefore") Instant reviewedBefore,
			Pageable pageable);

	@Query("select count(m) " + ACTIVE_MATCHING + REVIEW_OVERDUE)
	long countReviewOverdue(@Param("text") @Nullable String text, @Param("health") @Nullable Health health,
			@Param("reviewedBefore") Instant reviewedBefore);

	@Query("""
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

	/**
	 * How many active users are expiring, expired or suspended, due for key rotation and
	 * overdue for review, in this order (one row; a user may count in several).
	 */
	@Query("""
			select
				coalesce(sum(case when m.suspension is null and m.expiresAt <= :expiringBy then 1 else 0 end), 0),
				coalesce(sum(case when m.suspension is not null then 1 else 0 end), 0),
				coalesce(sum(case when m.oldestKeyImportedAt < :keysImportedBefore then 1 else 0 end), 0),
				coalesce(sum(case when (m.grantedAt is not null or m.reviewedAt is not null)
						and (m.grantedAt is null or m.grantedAt < :reviewedBefore)
						and (m.reviewedAt is null or m.reviewedAt < :reviewedBefore) then 1 else 0 end), 0)
			from ManagedUser m
			where m.status = io.transferportal.requests.ManagedUser.Status.ACTIVE
			""")
	List<Object[]> countByLifecycle(@Param("expiringBy") Instant expiringBy,
			@Param("keysImportedBefore") Instant keysImportedBefore, @Param("reviewedBefore") Instant reviewedBefore);

}
