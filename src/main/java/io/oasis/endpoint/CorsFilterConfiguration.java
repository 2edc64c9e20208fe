package io.oasis.endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.oasis.config.ConfigurationException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS for browser apps (oasis.cors), by Spring's CorsFilter on the endpoints' paths only: a preflight is answered
 * by the filter without reaching a route; a request from an origin not allowed gets 403; a request without an
 * Origin header passes untouched.
 */
@Configuration
public class CorsFilterConfiguration {

    private static final byte[] REFUSED = ("{\"type\":\"urn:oasis:problem:origin-not-allowed\",\"title\":\"Forbidden\","
            + "\"status\":403,\"detail\":\"this origin, method or header may not call Oasis from a browser\"}")
            .getBytes(StandardCharsets.UTF_8);

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(CorsProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        for (String origin : properties.allowedOrigins()) {
            if (origin.equals("*") && properties.allowCredentials()) {
                throw new ConfigurationException("oasis.cors.allowed-origins", origin,
                        "any origin cannot be allowed with credentials", "List the origins, or allow-credentials: false.");
            }
            cors.addAllowedOriginPattern(origin.trim());
        }
        cors.setAllowedMethods(properties.allowedMethods());
        cors.setAllowedHeaders(properties.allowedHeaders());
        cors.setExposedHeaders(properties.exposedHeaders());
        cors.setAllowCredentials(properties.allowCredentials());
        cors.setMaxAge(properties.maxAge());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        CorsFilter filter = new CorsFilter(source);
        filter.setCorsProcessor(new DefaultCorsProcessor() {
            @Override
            protected void rejectRequest(ServerHttpResponse response) throws IOException {
                response.setStatusCode(HttpStatus.FORBIDDEN);
                response.getHeaders().setContentType(MediaType.parseMediaType(Problem.MEDIA_TYPE));
                response.getBody().write(REFUSED);
                response.flush();
            }
        });
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setUrlPatterns(properties.paths());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.setEnabled(!properties.allowedOrigins().isEmpty());
        return registration;
    }
}
