package io.oasis;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Virtual threads where the JVM has them (21+), platform threads sized from configuration on 17.
 * Reflection because the code is compiled with release 17.
 */
public final class VirtualThreads {

    /** Set to false (-Doasis.virtual-threads=false) to keep platform threads on 21+. */
    public static final String SWITCH = "oasis.virtual-threads";

    private VirtualThreads() {
    }

    public static boolean supported() {
        return Runtime.version().feature() >= 21 && !"false".equalsIgnoreCase(System.getProperty(SWITCH));
    }

    /** camel.threads.virtual.enabled is read only as a JVM system property, not from application.yaml. */
    public static void enableInCamelWhenSupported() {
        if (supported() && System.getProperty("camel.threads.virtual.enabled") == null) {
            System.setProperty("camel.threads.virtual.enabled", "true");
        }
    }

    /**
     * An executor for short tasks: a virtual thread per task on 21+, else a fixed pool of {@code threads}
     * with a queue of {@code queue}; beyond that submissions are rejected rather than queued without bound.
     */
    public static ExecutorService executor(String name, int threads, int queue) {
        if (supported()) {
            try {
                Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
                Class<?> builderType = Class.forName("java.lang.Thread$Builder");
                builder = builderType.getMethod("name", String.class, long.class).invoke(builder, name + "-", 0L);
                ThreadFactory factory = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
                Method perTask = java.util.concurrent.Executors.class
                        .getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
                return (ExecutorService) perTask.invoke(null, factory);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("virtual threads reported as supported but not usable", e);
            }
        }
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), factory, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
