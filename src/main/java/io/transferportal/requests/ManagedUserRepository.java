package io.transferportal.requests;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

interface ManagedUserRepository extends JpaRepository<ManagedUser, Long> {

	Optional<ManagedUser> findByServerIdAndUserName(String serverId, String userName);

	List<ManagedUser> findByStatusOrderByServerIdAscUserNameAsc(ManagedUser.Status status);

}
