package io.oasis.cache;

import java.util.List;

/** The caches of the upstreams that keep one: what an invalidation goes through. */
@FunctionalInterface
public interface UpstreamCaches {

    List<UpstreamCache> caches();
}
