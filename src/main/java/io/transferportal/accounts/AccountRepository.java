package io.transferportal.accounts;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface AccountRepository extends JpaRepository<Account, Long> {

	Optional<Account> findByUsername(String username);

	/**
	 * The account, with its row locked until the transaction ends, so that concurrent
	 * failed sign-ins are all counted instead of overwriting each other.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select a from Account a where a.username = ?1")
	Optional<Account> findForUpdateByUsername(String username);

	boolean existsByUsernameIgnoreCase(String username);

	Optional<Account> findByApiTokenHash(String apiTokenHash);

	List<Account> findAllByOrderByUsernameAsc();

}
