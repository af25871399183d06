package io.transferportal.requests;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface RequestBatchRepository extends JpaRepository<RequestBatch, Long> {

	Optional<RequestBatch> findByTicketRef(String ticketRef);

	Page<RequestBatch> findAllByOrderByIdDesc(Pageable pageable);

	/** A batch's items in the order they were submitted. */
	@Query("select r from AccessRequest r where r.batchId = :batchId order by r.batchIndex")
	List<AccessRequest> findItems(@Param("batchId") long batchId);

	/** As {@link #findItems}, with the rows locked until the transaction ends. */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select r from AccessRequest r where r.batchId = :batchId order by r.id")
	List<AccessRequest> findItemsForUpdate(@Param("batchId") long batchId);

	/** How many items of these batches are in each status: batch id, status, count. */
	@Query("""
			select r.batchId, r.status, count(r) from AccessRequest r
			where r.batchId in :batchIds group by r.batchId, r.status
			""")
	List<Object[]> countItemsByStatus(@Param("batchIds") Collection<Long> batchIds);

}
