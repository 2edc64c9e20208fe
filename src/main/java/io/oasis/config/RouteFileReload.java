package io.oasis.config;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

import io.oasis.check.CompositionCheck;
import io.oasis.upstream.UpstreamCallTemplate;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.FileWatcherResourceReloadStrategy;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * For route authors ({@code oasis.routes.reload-directory}, profile dev): a route file saved while Oasis runs
 * replaces the routes it holds, its endpoints' calls included, then {@code check} runs again and logs what it finds.
 * Written here because Camel's own route reload leaves the routes made from templates ({@code templatedRoute}, every
 * upstream call) as they were. Camel's file watcher is used; only what it reloads is ours.
 */
@Component
public class RouteFileReload {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileReload.class);

    private final String directory;
    private final CamelContext camelContext;
    private final UpstreamCallTemplate template;
    private final CompositionCheck check;

    public RouteFileReload(@Value("${oasis.routes.reload-directory:}") String directory, CamelContext camelContext,
                           UpstreamCallTemplate template, CompositionCheck check) {
        this.directory = directory;
        this.camelContext = camelContext;
        this.template = template;
        this.check = check;
    }

    @EventListener(ApplicationStartedEvent.class)
    public void watch() throws Exception {
        if (directory.isBlank()) {
            return;
        }
        FileWatcherResourceReloadStrategy watcher = new FileWatcherResourceReloadStrategy(directory, true);
        watcher.setFileFilter(file -> file.getName().endsWith(".camel.yaml"));
        watcher.setResourceReload((name, resource) -> reload(resource));
        camelContext.addService(watcher, true, true);
        LOG.info("Route files under {} are reloaded when saved", Path.of(directory).toAbsolutePath());
    }

    /** Removes the routes the file held and the calls of its endpoints, then loads the file again. */
    void reload(Resource resource) throws Exception {
        if (!resource.exists() || resource.getInputStream().available() == 0) {
            return; // a save caught half way: the next event brings the content
        }
        Path file = path(resource.getLocation());
        Set<String> endpoints = new LinkedHashSet<>();
        for (Route route : camelContext.getRoutes()) {
            if (route.getSourceResource() != null && file.equals(path(route.getSourceResource().getLocation()))) {
                endpoints.add(route.getRouteId());
            }
        }
        Set<String> routes = new LinkedHashSet<>(endpoints);
        for (String endpoint : endpoints) {
            routes.addAll(template.routesOf(endpoint));
        }
        for (String id : routes) {
            camelContext.getRouteController().stopRoute(id);
            camelContext.removeRoute(id);
            template.forget(id);
        }
        try {
            PluginHelper.getRoutesLoader(camelContext).loadRoutes(resource);
            LOG.info("Reloaded {}: {} routes replaced", file.getFileName(), routes.size());
        } catch (Exception e) {
            LOG.error("Could not load {}: {}; its routes are gone until it is fixed and saved again", file, message(e));
            return;
        }
        check.run().stream().filter(f -> f.severity() == io.oasis.check.Finding.Severity.ERROR)
                .forEach(f -> LOG.error("{}", f.line()));
    }

    private static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static Path path(String location) {
        return Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location)
                .toAbsolutePath().normalize();
    }
}
