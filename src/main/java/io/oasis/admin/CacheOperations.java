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
    public void invalidateTag(String tag) {
        invalidate(CacheInvalidation.Scope.TAG, tag);
    }

    @ManagedOperation(description = "Drop every entry of this upstream")
    @ManagedOperationParameter(name = "upstream", description = "the upstream's name")
    public void invalidateUpstream(String upstream) {
        invalidate(CacheInvalidation.Scope.UPSTREAM, upstream);
    }

    @ManagedOperation(description = "Drop the entries whose key starts with this prefix, e.g. orders:/users/42")
    @ManagedOperationParameter(name = "prefix", description = "the start of the keys")
    public void invalidatePrefix(String prefix) {
        invalidate(CacheInvalidation.Scope.PREFIX, prefix);
    }

    @ManagedOperation(description = "Drop every cached entry")
    public void invalidateAll() {
        invalidate(CacheInvalidation.Scope.ALL, null);
    }

    private void invalidate(CacheInvalidation.Scope scope, String value) {
        invalidation.invalidate(new CacheInvalidation.Request(scope, value), "jmx", "operator");
    }
}
