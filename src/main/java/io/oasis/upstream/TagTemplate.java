package io.oasis.upstream;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * The tags of a cached answer, e.g. {@code product:{productId}, user:{userId}, tier:{response.tier}}: placeholders
 * take endpoint parameters, earlier parts' fields, or fields of the answer itself ({@code response.*}). One event
 * naming a tag invalidates every entry that carries it. A tag whose value is missing is left out.
 */
public final class TagTemplate {

    public static final TagTemplate NONE = new TagTemplate(List.of());

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)*)}");

    /** One tag: literal text around placeholders. */
    private record Tag(List<String> literals, List<UrlTemplate.Placeholder> placeholders) {
    }

    private final List<Tag> tags;

    private TagTemplate(List<Tag> tags) {
        this.tags = tags;
    }

    /** @throws IllegalArgumentException on a malformed tag */
    public static TagTemplate parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<Tag> tags = new ArrayList<>();
        for (String tag : text.split(",")) {
            String t = tag.trim();
            List<String> literals = new ArrayList<>();
            List<UrlTemplate.Placeholder> placeholders = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(t);
            int at = 0;
            while (m.find()) {
                literals.add(t.substring(at, m.start()));
                placeholders.add(UrlTemplate.Placeholder.parse(m.group(1)));
                at = m.end();
            }
            literals.add(t.substring(at));
            if (t.isEmpty() || literals.stream().anyMatch(l -> l.indexOf('{') >= 0 || l.indexOf('}') >= 0)) {
                throw new IllegalArgumentException("malformed tag '" + t + "': write e.g. product:{productId}");
            }
            tags.add(new Tag(List.copyOf(literals), List.copyOf(placeholders)));
        }
        return new TagTemplate(List.copyOf(tags));
    }

    public List<UrlTemplate.Placeholder> placeholders() {
        return tags.stream().flatMap(t -> t.placeholders().stream()).toList();
    }

    public Set<String> expand(Function<UrlTemplate.Placeholder, String> values) {
        if (tags.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        tags:
        for (Tag tag : tags) {
            StringBuilder text = new StringBuilder(tag.literals().get(0));
            for (int i = 0; i < tag.placeholders().size(); i++) {
                String value = values.apply(tag.placeholders().get(i));
                if (value == null) {
                    continue tags;
                }
                text.append(value).append(tag.literals().get(i + 1));
            }
            out.add(text.toString());
        }
        return out;
    }
}
