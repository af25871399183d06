package io.transferportal.ticketing;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

interface ApiClientRepository extends JpaRepository<ApiClient, Long> {

	Optional<ApiClient> findByTokenHash(String tokenHash);

	Optional<ApiClient> findByName(String name);

	List<ApiClient> findAllByOrderByName();

}
