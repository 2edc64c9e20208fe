package io.oasis.endpoint;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.RequestContextFilter;

/**
 * Takes Boot's {@link RequestContextFilter} off every request. It parses each request's Accept-Language into a
 * {@code Locale} before anything asks for one, and the JDK keeps every distinct Locale it makes in a cache of its own:
 * a client sending a new Accept-Language each time grew live memory by ~600 bytes a request (MemoryBoundsShippedIT).
 * Nothing here needs it: Spring MVC sets up the same holders itself, resolving the locale only if asked.
 */
@Configuration(proxyBeanMethods = false)
public class NoEagerLocale {

    /** Registered and disabled: Boot then adds none of its own. */
    @Bean
    FilterRegistrationBean<RequestContextFilter> requestContextFilterOff() {
        FilterRegistrationBean<RequestContextFilter> registration =
                new FilterRegistrationBean<>(new RequestContextFilter());
        registration.setEnabled(false);
        return registration;
    }
}
