package io.podfleet.security;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Optional;

interface DashboardUserRepository extends JpaRepository<DashboardUser, Long> {

    Optional<DashboardUser> findByUsername(String username);
}
