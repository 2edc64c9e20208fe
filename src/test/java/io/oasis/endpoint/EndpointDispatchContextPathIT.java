package io.oasis.endpoint;

import org.springframework.test.context.TestPropertySource;

/**
 * Under a servlet context path the endpoints are still served from {@link EndpointDispatch}: the in-flight bound,
 * which only that filter applies, refuses the second of two concurrent requests and admits again after them
 * ({@link OverloadIT}'s cases, below {@code /bff}).
 */
@TestPropertySource(properties = "server.servlet.context-path=/bff")
class EndpointDispatchContextPathIT extends OverloadIT {

    @Override
    protected String contextPath() {
        return "/bff";
    }
}
