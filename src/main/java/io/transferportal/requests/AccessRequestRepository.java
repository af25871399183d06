package io.transferportal.requests;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface AccessRequestRepository extends JpaRepository<AccessRequest, Long> {

	/**
	 * Takes a lease on a request that is ready to run: approved, failed with a retry
	 * requested, or provisioning under an expired lease (its runner died). One UPDATE, so
	 * of several instances exactly one wins.
	 * @return 1 if this caller now owns the request
	 */
	@Modifying(clearAutomatically = true, flushAutomatically = true)
	@Query("""
			update AccessRequest r set r.leaseOwner = :owner, r.leaseUntil = :until, r.version = r.version + 1
			where r.id = :id and (r.status = io.transferportal.requests.RequestStatus.APPROVED
				or (r.status = io.transferportal.requests.RequestStatus.FAILED and r.retryRequested = true)
				or (r.status = io.transferportal.requests.RequestStatus.PROVISIONING
					and (r.leaseUntil is null or r.leaseUntil < :now)))
			""")
	int claim(@Param("id") long id, @Param("owner") String owner, @Param("until") Instant until,
			@Param("now") Instant now);

	/** Extends the lease while the owner is still working. */
	@Modifying(clearAutomatically = true, flushAutomatically = true)
	@Query("update AccessRequest r set r.leaseUntil = :until where r.id = :id and r.leaseOwner = :owner")
	int renewLease(@Param("id") long id, @Param("owner") String owner, @Param("until") Instant until);

	@Query("""
			select r.id from AccessRequest r
			where r.status = io.transferportal.requests.RequestStatus.APPROVED
				or (r.status = io.transferportal.requests.RequestStatus.FAILED and r.retryRequested = true)
				or (r.status = io.transferportal.requests.RequestStatus.PROVISIONING and r.leaseUntil < :now)
			""")
	List<Long> findRunnable(@Param("now") Instant now);

	@Query("""
			select r from AccessRequest r
			where (:ticketRef is null or r.ticketRef = :ticketRef) and (:status is null or r.status = :status)
			order by r.id desc
			""")
	org.springframework.data.domain.Page<AccessRequest> search(
			@Param("ticketRef") @org.jspecify.annotations.Nullable String ticketRef,
			@Param("status") @org.jspecify.annotations.Nullable RequestStatus status,
			org.springframework.data.domain.Pageable pageable);

	boolean existsByServerIdAndUserNameAndStatusIn(String serverId, String userName,
			Collection<RequestStatus> statuses);

	List<AccessRequest> findByStatusOrderByCreatedAt(RequestStatus status);

	List<AccessRequest> findByKindInAndStatusIn(Collection<RequestKind> kinds, Collection<RequestStatus> statuses);

}
