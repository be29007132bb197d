package io.podfleet.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/** How the dashboard's pages and assets are served. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    /**
     * Turns off the rewriting of every link in a page to a versioned asset path. It looks each link up on the class
     * path, and a link that is not an asset (every link to a vault, host or drive) is searched through every jar on
     * every render: most of the fleet page's time. Assets are addressed version-free ({@code /webjars/htmx.org/...})
     * and resolved when requested instead.
     */
    @Bean
    FilterRegistrationBean<ResourceUrlEncodingFilter> resourceUrlEncodingFilterOff() {
        FilterRegistrationBean<ResourceUrlEncodingFilter> registration = new FilterRegistrationBean<>(new ResourceUrlEncodingFilter());
        registration.setEnabled(false);
        return registration;
    }
}
