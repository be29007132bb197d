package io.podfleet.platform.database;

import jakarta.persistence.EntityManagerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.orm.jpa.JpaTransactionManager;

import javax.sql.DataSource;

/**
 * Transactions are plain JDBC unless they touch JPA entities. Every capability but security's tokens and users
 * writes through JDBC; under the JPA transaction manager each of their transactions also opened and closed a
 * Hibernate session, a twelfth of the server's time per agent report. Code that uses the JPA repositories names
 * {@value #JPA}, the name Spring Data's repositories look up, so they use it too (and Spring Boot's repository
 * set-up, with Hibernate's bootstrap in the background, stays as it is).
 */
@Configuration(proxyBeanMethods = false)
public class TransactionManagers {

    /** The name of the transaction manager for code that uses JPA entities. */
    public static final String JPA = "transactionManager";

    @Bean
    @Primary
    JdbcTransactionManager jdbcTransactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }

    @Bean(JPA)
    JpaTransactionManager jpaTransactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }
}
