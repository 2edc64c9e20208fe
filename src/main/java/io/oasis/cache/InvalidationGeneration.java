package io.oasis.cache;

/**
 * What this instance knows of the fleet's invalidations: the highest count it heard of (every invalidation applied
 * in Redis adds one), in the epoch of Redis' data it last read. It says when the local tier may hold what another
 * instance invalidated: a message skipped a count, the count moved on unheard, or Redis lost its data.
 */
final class InvalidationGeneration {

    private long heard = -1;
    private String epoch;

    /** An invalidation numbered {@code generation}, heard or made here; true when earlier ones went unheard. */
    synchronized boolean heardUpTo(long generation) {
        long before = heard;
        heard = Math.max(heard, generation);
        return before >= 0 && generation > before + 1;
    }

    /**
     * The fleet's count as Redis holds it now ({@code epoch:count}); why the local tier is to be dropped, or null.
     * The first reading only sets what is known: a new instance's tier holds nothing old.
     */
    synchronized String compare(String read) {
        int colon = read.lastIndexOf(':');
        String now = read.substring(0, colon);
        long count = Long.parseLong(read.substring(colon + 1));
        String missed = null;
        if (epoch == null) {
            heard = Math.max(heard, count);
        } else if (!epoch.equals(now)) {
            missed = "Redis lost its data (a new epoch)";
            heard = count;
        } else if (count > heard) {
            missed = "the fleet's invalidation count is " + count + ", this instance heard up to " + heard;
            heard = count;
        }
        epoch = now;
        return missed;
    }

    /** {@code epoch:count} as known here; null before Redis was first read. */
    synchronized String known() {
        return epoch == null ? null : epoch + ":" + heard;
    }
}
