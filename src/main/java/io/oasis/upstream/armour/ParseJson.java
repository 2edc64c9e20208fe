package io.oasis.upstream.armour;

import java.io.IOException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oasis.upstream.Failure;

/** The answer read as JSON, once: a status outside 2xx, or a body that is not JSON, is the attempt's failure. */
public final class ParseJson implements Stage<Fetch, Attempted> {

    private final ObjectMapper json;

    public ParseJson(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void run(Fetch fetch, Next<Fetch, Attempted> next, Consumer<Attempted> done) {
        next.run(fetch, attempted -> done.accept(parse(attempted)));
    }

    Attempted parse(Attempted attempted) {
        if (attempted.answer() == null) {
            return attempted;
        }
        int code = attempted.status();
        if (code < 200 || code > 299) {
            return new Attempted(Failure.UPSTREAM_STATUS, code, attempted.retryAfter(), "upstream answered " + code,
                    null, null, true);
        }
        JsonNode value;
        try {
            value = attempted.answer().length() == 0 ? null
                    : json.readTree(attempted.answer().body(), 0, attempted.answer().length());
        } catch (IOException e) {
            value = null;
        }
        if (value == null || value.isMissingNode()) {
            return new Attempted(Failure.MALFORMED, code, null, "upstream answered " + code + " with malformed JSON",
                    null, null, true);
        }
        return new Attempted(null, code, null, null, value, null, true);
    }
}
