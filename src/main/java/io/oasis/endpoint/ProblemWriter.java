package io.oasis.endpoint;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

/** Writes a {@link Problem} as JSON: one shape for Camel routes and for Spring MVC errors alike. */
@Component
public class ProblemWriter {

    private final ObjectMapper json;

    public ProblemWriter(ObjectMapper json) {
        this.json = json;
    }

    public ObjectNode toJson(Problem problem, String instance) {
        ObjectNode node = json.createObjectNode();
        node.put("type", problem.type());
        node.put("title", problem.title());
        node.put("status", problem.status());
        node.put("detail", problem.detail());
        if (instance != null) {
            node.put("instance", instance);
        }
        for (Map.Entry<String, Object> e : problem.extra().entrySet()) {
            node.set(e.getKey(), json.valueToTree(e.getValue()));
        }
        return node;
    }

    public byte[] toBytes(Problem problem, String instance) {
        return bytes(toJson(problem, instance));
    }

    public byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialise", e);
        }
    }
}
