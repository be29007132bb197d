package io.podfleet.security;

import io.podfleet.platform.problem.ProblemResponses;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * Two doors. Machines use {@code /api/**} and {@code /actuator/**} with bearer tokens, no session, no CSRF (there is
 * no cookie to forge with). People use everything else with a form login, a session and CSRF on every form.
 * Reading needs VIEWER; each endpoint that changes something says which role it needs.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
public class SecurityConfiguration {

    /** The role of a host's agent credential: it may only speak the agent protocol, for its own host. */
    public static final String AGENT = "AGENT";

    @Bean
    RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy("""
                ROLE_ADMIN > ROLE_OPERATOR
                ROLE_OPERATOR > ROLE_VIEWER
                """);
    }

    /**
     * No observation around each security filter, authentication and authorization: with an observation registry
     * present Spring Security otherwise wraps every filter of every request (allocation and a predicate lookup per
     * filter), a cost the hot agent and dispatcher paths pay for traces nobody reads here. Requests are still
     * timed as a whole ({@code http.server.requests}).
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    BearerTokenFilter bearerTokenFilter(java.util.List<BearerCredentials> kinds, CredentialCache cache) {
        return new BearerTokenFilter(kinds, cache);
    }

    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<BearerTokenFilter> bearerTokenFilterNotInServletChain(
            BearerTokenFilter filter) {
        // Only the security chains run it; registered as a plain servlet filter too it would run twice.
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    @Order(1)
    SecurityFilterChain machineChain(HttpSecurity http, BearerTokenFilter bearer) throws Exception {
        http.securityMatcher("/api/**", "/actuator/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(bearer, AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/**").hasRole(Role.VIEWER.name())
                        .requestMatchers(HttpMethod.POST, "/api/v1/agent/enroll").permitAll()
                        .requestMatchers("/api/v1/agent/**").hasRole(AGENT)
                        .requestMatchers("/api/v1/uploads", "/api/v1/uploads/**").hasAnyRole(Role.DISPATCHER.name(), Role.OPERATOR.name())
                        .requestMatchers(HttpMethod.GET, "/api/**").hasRole(Role.VIEWER.name())
                        // writes need at least VIEWER here (so agents cannot), and each endpoint narrows it further
                        .anyRequest().hasRole(Role.VIEWER.name()))
                .exceptionHandling(e -> e.authenticationEntryPoint(problem401()).accessDeniedHandler(problem403()));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain peopleChain(HttpSecurity http, BearerTokenFilter bearer) throws Exception {
        RequestMatcher apiDocs = pathPattern("/v3/api-docs/**");
        http.addFilterBefore(bearer, AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/login", "/error", "/denied", "/webjars/**", "/css/**", "/js/**", "/favicon.ico").permitAll()
                        .anyRequest().hasRole(Role.VIEWER.name()))
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll())
                .exceptionHandling(e -> e
                        .defaultAuthenticationEntryPointFor(problem401(), apiDocs)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), r -> true)
                        .defaultAccessDeniedHandlerFor(problem403(), apiDocs)
                        .defaultAccessDeniedHandlerFor(deniedPage(), r -> true));
        return http.build();
    }

    @Bean
    UserDetailsService dashboardUserDetails(DashboardUserRepository users) {
        return username -> users.findByUsername(username)
                .map(u -> User.withUsername(u.username())
                        .password(u.passwordHash())
                        .roles(u.role().name())
                        .disabled(!u.enabled())
                        .build())
                .orElseThrow(() -> new UsernameNotFoundException(username));
    }

    private static AuthenticationEntryPoint problem401() {
        return (request, response, e) -> ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED,
                "Authentication required: send Authorization: Bearer <token>");
    }

    /** People get a page saying what their role does not allow, with the 403 status. */
    private static AccessDeniedHandler deniedPage() {
        var page = new org.springframework.security.web.access.AccessDeniedHandlerImpl();
        page.setErrorPage("/denied");
        return page;
    }

    private static AccessDeniedHandler problem403() {
        return (request, response, e) -> ProblemResponses.write(request, response, HttpStatus.FORBIDDEN,
                "Your role does not allow this");
    }
}
