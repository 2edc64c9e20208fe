package io.oasis.endpoint;

import org.springframework.boot.task.ThreadPoolTaskExecutorCustomizer;
import org.springframework.stereotype.Component;

/**
 * Starts the request executor's threads with the application: a pool below its core size creates a thread for
 * every new task, and a burst of hundreds of thread creations stalls the first requests of a load peak.
 */
@Component
public class RequestExecutorWarmup implements ThreadPoolTaskExecutorCustomizer {

    @Override
    public void customize(org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor executor) {
        executor.setPrestartAllCoreThreads(true);
    }
}
