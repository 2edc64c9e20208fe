package io.oasis.admin;

import io.oasis.cache.CacheInvalidation;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/** Cache invalidation as JMX operations, for operators in Hawtio or jconsole: io.oasis:type=Cache. */
@Component
@ManagedResource(objectName = "io.oasis:type=Cache", description = "Invalidate Oasis' caches on every instance")
public class CacheOperations {

    private final CacheInvalidation invalidation;

    public CacheOperations(CacheInvalidation invalidation) {
        this.invalidation = invalidation;
    }

    @ManagedOperation(description = "Drop every entry carrying this tag, e.g. product:42")
    @ManagedOperationParameter(name = "tag", description = "the tag")
    public String invalidateTag(String tag) {
        return invalidate(CacheInvalidation.Scope.TAG, tag);
    }

    @ManagedOperation(description = "Drop every entry of this upstream")
    @ManagedOperationParameter(name = "upstream", description = "the upstream's name")
    public String invalidateUpstream(String upstream) {
        return invalidate(CacheInvalidation.Scope.UPSTREAM, upstream);
    }

    @ManagedOperation(description = "Drop the entries whose key starts with this prefix, e.g. orders:/users/42")
    @ManagedOperationParameter(name = "prefix", description = "the start of the keys")
    public String invalidatePrefix(String prefix) {
        return invalidate(CacheInvalidation.Scope.PREFIX, prefix);
    }

    @ManagedOperation(description = "Drop every cached entry")
    public String invalidateAll() {
        return invalidate(CacheInvalidation.Scope.ALL, null);
    }

    private String invalidate(CacheInvalidation.Scope scope, String value) {
        return invalidation.invalidate(new CacheInvalidation.Request(scope, value), "jmx", "operator")
                == CacheInvalidation.Outcome.APPLIED ? "applied on every instance"
                : "applied on this instance only: Redis did not take it; retried until it does";
    }
}
