package io.podfleet.platform.database;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** True when the operator gave no external database: then the embedded PostgreSQL starts. */
class NoDatasourceUrl implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return embedded(context.getEnvironment());
    }

    static boolean embedded(org.springframework.core.env.Environment env) {
        String url = env.getProperty("spring.datasource.url");
        return url == null || url.isBlank();
    }
}
