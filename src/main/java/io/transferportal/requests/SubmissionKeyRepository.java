package io.transferportal.requests;

import java.util.Optional;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;

interface SubmissionKeyRepository extends JpaRepository<SubmissionKey, String> {

	/** Reads the row and holds a write lock on it until the caller's transaction ends. */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	Optional<SubmissionKey> findForUpdateByName(String name);

}
