package io.oasis.admin;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import io.oasis.endpoint.ProblemWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Operator surfaces behind credentials: the dashboard page and error list (/admin), Actuator beyond its public
 * endpoints, Hawtio and Jolokia; HTTP Basic for scripts, a login form for browsers. The endpoints frontends call
 * are not in this chain at all: Spring Security's filter is mapped to the operator paths only, so no security
 * filter (firewall, handler-mapping introspection) runs on the request path; the cache admin API and the webhook
 * check their own token and signature.
 */
@Configuration(proxyBeanMethods = false)
public class OperatorSecurity {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorSecurity.class);

    /** The servlet paths of every operator surface (servlet URL patterns, matched before any Spring code runs). */
    static final List<String> OPERATOR_PATHS = List.of("/admin/*", "/actuator/*", "/login", "/logout",
            "/default-ui.css");

    /** Maps Boot's registration of the security filter to the operator paths instead of every request. */
    @Bean
    static BeanPostProcessor securityFilterOnOperatorPathsOnly() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                // Boot's SecurityFilterAutoConfiguration names it so
                if (bean instanceof DelegatingFilterProxyRegistrationBean registration
                        && "securityFilterChainRegistration".equals(beanName)) {
                    registration.setUrlPatterns(OPERATOR_PATHS);
                }
                return bean;
            }
        };
    }

    @Bean
    SecurityFilterChain operators(HttpSecurity http, OperatorProperties properties, ProblemWriter problems,
                                  FailedAttempts attempts) throws Exception {
        // path patterns on the whole path: Jolokia is its own servlet, which servlet-path matchers would miss
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        RequestMatcher[] open = properties.publicEndpoints().stream()
                .flatMap(e -> Stream.of(path.matcher("/actuator/" + e), path.matcher("/actuator/" + e + "/**")))
                .toArray(RequestMatcher[]::new);
        // /default-ui.css: the login page's style sheet, served by Spring Security's own filter inside this chain
        http.securityMatcher(new OrRequestMatcher(Stream.of("/admin/**", "/actuator/**", "/login", "/logout",
                        "/default-ui.css").map(path::matcher).toArray(RequestMatcher[]::new)))
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(path.matcher("/admin/cache/invalidate")).permitAll()
                        .requestMatchers(open).permitAll()
                        .anyRequest().hasRole("OPERATOR"))
                .httpBasic(Customizer.withDefaults())
                .formLogin(form -> form.defaultSuccessUrl("/admin/dashboard", false))
                // the cache admin API authenticates itself with a bearer token; Jolokia (at its own path and at
                // Hawtio's, which forwards to it) and the silences are posted to by Hawtio and scripts without Spring's
                // token: no page of another origin may post to them
                // (CrossSiteRequests, on every operator path, before anything else here)
                .csrf(csrf -> csrf.ignoringRequestMatchers(path.matcher("/admin/cache/invalidate"),
                        path.matcher("/actuator/jolokia/**"), path.matcher("/actuator/hawtio/jolokia/**"),
                        path.matcher("/admin/alerts/**")))
                .addFilterBefore(new CrossSiteRequests(problems), DisableEncodeUrlFilter.class)
                // a client past its wrong credentials is refused before any is checked again
                .addFilterAfter(attempts.filter(), CrossSiteRequests.class);
        return http.build();
    }

    @Bean
    UserDetailsService operatorUsers(OperatorProperties properties, Environment environment) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        String password = properties.password();
        if (password == null || password.isBlank()) {
            if (!environment.acceptsProfiles(Profiles.of("demo"))) {
                LOG.warn("No operator password (OASIS_OPERATOR_PASSWORD): the dashboard page, Hawtio, Jolokia and "
                        + "Actuator beyond {} are closed", properties.publicEndpoints());
                return new InMemoryUserDetailsManager(List.of());
            }
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            LOG.warn("Demo profile: operator '{}' has the generated password {} (set OASIS_OPERATOR_PASSWORD to "
                    + "choose one)", properties.username(), password);
        }
        return new InMemoryUserDetailsManager(User.withUsername(properties.username())
                .password(encoder.encode(password)).roles("OPERATOR").build());
    }
}
