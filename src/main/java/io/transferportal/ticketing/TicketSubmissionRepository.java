package io.transferportal.ticketing;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

import io.transferportal.requests.RequestKind;

interface TicketSubmissionRepository extends JpaRepository<TicketSubmission, Long> {

	Optional<TicketSubmission> findByTicketRefAndKind(String ticketRef, RequestKind kind);

}
