package io.oasis.upstream;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The upstreams Oasis may call, with the settings they share. Routes name an upstream; host, timeouts, pool and
 * protection live here, so no request can reach a host that is not declared. Checked by {@link Upstreams}.
 *
 * @param upstreamDefaults {@code oasis.upstream-defaults}: inherited by every upstream
 * @param upstreamPresets  {@code oasis.upstream-presets.<preset>}: named groups of settings an upstream can inherit
 * @param upstreams        {@code oasis.upstreams.<name>}
 */
@ConfigurationProperties("oasis")
public record UpstreamProperties(UpstreamSettings upstreamDefaults, Map<String, UpstreamSettings> upstreamPresets,
                                 Map<String, UpstreamSettings> upstreams) {

    public UpstreamProperties {
        upstreamPresets = upstreamPresets == null ? Map.of() : upstreamPresets;
        upstreams = upstreams == null ? Map.of() : upstreams;
    }
}
