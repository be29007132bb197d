package io.podfleet.security;

import io.podfleet.platform.database.TransactionManagers;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.data.repository.config.BootstrapMode;

/** Tokens and dashboard users are JPA entities; their repositories run in JPA transactions. */
@Configuration(proxyBeanMethods = false)
@EnableJpaRepositories(basePackageClasses = SecurityRepositories.class, transactionManagerRef = TransactionManagers.JPA,
        bootstrapMode = BootstrapMode.DEFERRED)
class SecurityRepositories {
}
