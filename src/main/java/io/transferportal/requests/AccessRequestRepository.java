package io.transferportal.requests;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
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
	Page<AccessRequest> search(@Param("ticketRef") @Nullable String ticketRef,
			@Param("status") @Nullable RequestStatus status, Pageable pageable);

	/** The request with its row locked until the transaction ends. */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select r from AccessRequest r where r.id = :id")
	Optional<AccessRequest> findForUpdateById(@Param("id") long id);

	boolean existsByServerIdAndUserNameAndStatusIn(String serverId, String userName,
			Collection<RequestStatus> statuses);

	List<AccessRequest> findByStatusOrderByCreatedAt(RequestStatus status);

	List<AccessRequest> findByKindInAndStatusIn(Collection<RequestKind> kinds, Collection<RequestStatus> statuses);

}
