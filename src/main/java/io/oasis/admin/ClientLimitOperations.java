package io.oasis.admin;

import io.oasis.resilience.ClientLimiter;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/** The per-client rate limit as JMX, {@code io.oasis:type=ClientLimit}: who is counted, and forgiving a client. */
@Component
@ManagedResource(objectName = "io.oasis:type=ClientLimit", description = "Oasis' per-client rate limit")
public class ClientLimitOperations {

    private final ClientLimiter limiter;

    public ClientLimitOperations(ClientLimiter limiter) {
        this.limiter = limiter;
    }

    @ManagedAttribute(description = "Requests per period one client may make; 0 is no limit")
    public int getRequests() {
        return limiter.requests();
    }

    @ManagedAttribute(description = "The period, in seconds")
    public long getPerSeconds() {
        return limiter.perSeconds();
    }

    @ManagedAttribute(description = "Clients counted now")
    public long getClients() {
        return limiter.clients();
    }

    @ManagedOperation(description = "Give one client a full allowance again; true when it was being counted")
    @ManagedOperationParameter(name = "client", description = "its address, principal or key header value")
    public boolean forgetClient(String client) {
        return limiter.forget(client);
    }

    @ManagedOperation(description = "Give every client a full allowance again")
    public void forgetAllClients() {
        limiter.forgetAll();
    }
}
