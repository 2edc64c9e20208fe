package io.oasis.upstream.armour;

import com.fasterxml.jackson.databind.JsonNode;
import io.oasis.upstream.TagTemplate;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.UrlTemplate;

/**
 * One call as a route declares it ({@code upstream:} endpoint): the part it fills, the upstream, the URL with its
 * placeholders, its failure policy, the cache tags of its answer.
 *
 * @param order    the part's place in the answer, in the order the routes declare their calls
 * @param required a failure fails the response (no default)
 * @param stale    a failure answers the cached value within stale-if-error first
 * @param fallback the JSON that stands in for the part when it fails; null when required
 */
public record CallSpec(String part, int order, Upstream upstream, UrlTemplate url, boolean required, boolean stale,
                       JsonNode fallback, TagTemplate tags) {
}
