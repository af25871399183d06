package io.transferportal.requests;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

interface RequestStepRepository extends JpaRepository<RequestStep, Long> {

	List<RequestStep> findByRequestIdOrderById(long requestId);

}
