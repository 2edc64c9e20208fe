package io.oasis.admin;

import java.util.Hashtable;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import io.oasis.upstream.Upstream;
import io.oasis.upstream.Upstreams;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jmx.export.MBeanExporter;
import org.springframework.stereotype.Component;

/**
 * Registers one {@link UpstreamOperations} MBean per declared upstream, {@code io.oasis:type=Upstream,name=<name>}
 * (upstreams come from configuration, so they cannot be annotated beans). Without JMX nothing is registered.
 */
@Component
class UpstreamMBeans implements SmartInitializingSingleton {

    private final Upstreams upstreams;
    private final ObjectProvider<MBeanExporter> exporter;

    UpstreamMBeans(Upstreams upstreams, ObjectProvider<MBeanExporter> exporter) {
        this.upstreams = upstreams;
        this.exporter = exporter;
    }

    @Override
    public void afterSingletonsInstantiated() {
        exporter.ifAvailable(jmx -> {
            for (Upstream upstream : upstreams.all().values()) {
                jmx.registerManagedResource(new UpstreamOperations(upstream), name(upstream.name()));
            }
        });
    }

    static ObjectName name(String upstream) {
        Hashtable<String, String> keys = new Hashtable<>();
        keys.put("type", "Upstream");
        keys.put("name", upstream);
        try {
            return new ObjectName("io.oasis", keys);
        } catch (MalformedObjectNameException e) {
            keys.put("name", ObjectName.quote(upstream));
            try {
                return new ObjectName("io.oasis", keys);
            } catch (MalformedObjectNameException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
