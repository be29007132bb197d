package io.podfleet.platform.json;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/** Spring Boot adds every Jackson module bean to the server's JSON mapper; {@link JsonBody} parameters read with it. */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration implements WebMvcConfigurer {

    /** (a provider: the mapper is made from this class's module beans) */
    private final ObjectProvider<JsonMapper> json;

    JsonConfiguration(ObjectProvider<JsonMapper> json) {
        this.json = json;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new JsonBodyResolver(json.getObject()));
    }

    @Bean
    RecordConstructors recordConstructors() {
        return new RecordConstructors();
    }

    @Bean
    NoNulStrings noNulStrings() {
        return new NoNulStrings();
    }
}
