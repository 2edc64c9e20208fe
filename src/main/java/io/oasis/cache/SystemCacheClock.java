package io.oasis.cache;

import org.springframework.stereotype.Component;

/** The wall clock; tests put a clock they advance in its place. */
@Component
public class SystemCacheClock implements CacheClock {

    @Override
    public long nowMillis() {
        return System.currentTimeMillis();
    }
}
