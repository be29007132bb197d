package io.podfleet.platform.json;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Spring Boot adds every Jackson module bean to the server's JSON mapper. */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

    @Bean
    RecordConstructors recordConstructors() {
        return new RecordConstructors();
    }

    @Bean
    NoNulStrings noNulStrings() {
        return new NoNulStrings();
    }
}
