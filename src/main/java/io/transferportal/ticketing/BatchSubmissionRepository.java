package io.transferportal.ticketing;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

interface BatchSubmissionRepository extends JpaRepository<BatchSubmission, Long> {

	Optional<BatchSubmission> findByTicketRef(String ticketRef);

}
