package io.transferportal.requests;

import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface AccessRequestRepository extends JpaRepository<AccessRequest, Long> {

	@Query("""
			select r from AccessRequest r
			where (:ticketRef is null or r.ticketRef = :ticketRef) and (:status is null or r.status = :status)
			order by r.id desc
			""")
	Page<AccessRequest> search(@Param("ticketRef") @Nullable String ticketRef,
			@Param("status") @Nullable RequestStatus status, Pageable pageable);

	boolean existsByServerIdAndUserNameAndStatusIn(String serverId, String userName,
			Collection<RequestStatus> statuses);

	List<AccessRequest> findByStatusOrderByCreatedAt(RequestStatus status);

	List<AccessRequest> findByKindInAndStatusIn(Collection<RequestKind> kinds, Collection<RequestStatus> statuses);

}
