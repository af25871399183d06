package io.transferportal.requests;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface AccessRequestRepository extends JpaRepository<AccessRequest, Long>, JpaSpecificationExecutor<AccessRequest> {

	/**
	 * The number of requests of each kind in each status: {@code [kind, status, count]}.
	 */
	@Query("select r.kind, r.status, count(r) from AccessRequest r group by r.kind, r.status")
	List<Object[]> countByKindAndStatus();

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

	/** The user's newest request in one of these statuses. */
	Optional<AccessRequest> findFirstByServerIdAndUserNameAndStatusInOrderByIdDesc(String serverId, String userName,
			Collection<RequestStatus> statuses);

	boolean existsByServerIdAndUserNameAndStatusIn(String serverId, String userName,
			Collection<RequestStatus> statuses);

	boolean existsByServerIdAndUserNameAndKindAndStatusIn(String serverId, String userName, RequestKind kind,
			Collection<RequestStatus> statuses);

	/** The ids of a user's requests, newest first. */
	@Query("select r.id from AccessRequest r where r.serverId = :serverId and r.userName = :userName order by r.id desc")
	List<Long> findIdsOfUser(@Param("serverId") String serverId, @Param("userName") String userName);

	List<AccessRequest> findByStatusOrderByCreatedAt(RequestStatus status);

	/**
	 * The specs of the requests of these kinds in these statuses, without loading them.
	 */
	@Query("select r.spec from AccessRequest r where r.kind in :kinds and r.status in :statuses order by r.id")
	List<StoredSpec> findSpecsByKindInAndStatusIn(@Param("kinds") Collection<RequestKind> kinds,
			@Param("statuses") Collection<RequestStatus> statuses);

	long countByStatusIn(Collection<RequestStatus> statuses);

}
