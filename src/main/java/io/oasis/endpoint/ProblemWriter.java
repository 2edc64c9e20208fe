package io.oasis.endpoint;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;

/** Writes a {@link Problem} as JSON: one shape for Camel routes, Spring MVC errors and servlet filters alike. */
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

    /** Answers a request with the problem, from a servlet filter (outside Spring MVC and Camel). */
    public void write(HttpServletResponse response, Problem problem, String instance) throws IOException {
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.getOutputStream().write(toBytes(problem, instance));
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
