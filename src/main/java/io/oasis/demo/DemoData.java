package io.oasis.demo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The demo services' answers: deterministic per user, so a demo and a test see the same data every time.
 * Each function takes the path segments after the service prefix and the query, and returns JSON or null (404).
 */
final class DemoData {

    private static final String[] NAMES = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken"};
    private static final String[] TIERS = {"bronze", "silver", "gold", "platinum"};
    private static final String[] PRODUCTS = {"espresso machine", "trail shoes", "noise-cancelling headphones",
        "cast-iron pan", "e-reader", "rain jacket", "desk lamp", "backpack", "yoga mat", "chef's knife"};

    static final Map<String, BiFunction<List<String>, Map<String, List<String>>, String>> SERVICES = Map.of(
            "profile", DemoData::profile,
            "orders", DemoData::orders,
            "recommendations", DemoData::recommendations,
            "cart", DemoData::cart,
            "loyalty", DemoData::loyalty,
            "tier-recommendations", DemoData::tierRecommendations);

    private DemoData() {
    }

    static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** GET /profile/users/{userId} */
    private static String profile(List<String> path, Map<String, List<String>> query) {
        String user = user(path);
        if (user == null) {
            return null;
        }
        int h = hash(user);
        return "{\"userId\":\"" + user + "\",\"name\":\"" + NAMES[h % NAMES.length] + " " + user
                + "\",\"email\":\"user" + user + "@example.com\",\"memberSince\":\"" + (2015 + h % 10) + "-0"
                + (1 + h % 9) + "-1" + (h % 9) + "\"}";
    }

    /** GET /orders/users/{userId}/orders?limit=N */
    private static String orders(List<String> path, Map<String, List<String>> query) {
        String user = path.size() == 3 && path.get(2).equals("orders") ? user(path.subList(0, 2)) : null;
        if (user == null) {
            return null;
        }
        int limit = limit(query, 3);
        StringBuilder out = new StringBuilder("[");
        for (int i = 1; i <= limit; i++) {
            int h = hash(user + i);
            out.append(i > 1 ? "," : "").append("{\"id\":\"o-").append(user).append('-').append(i)
                    .append("\",\"placedAt\":\"2026-11-").append(10 + i).append("\",\"total\":{\"amount\":")
                    .append(10 + h % 190).append('.').append(h % 10).append("9,\"currency\":\"EUR\"},\"status\":\"")
                    .append(i == 1 ? "shipped" : "delivered").append("\"}");
        }
        return out.append(']').toString();
    }

    /** GET /recommendations/users/{userId}?limit=N */
    private static String recommendations(List<String> path, Map<String, List<String>> query) {
        String user = user(path);
        if (user == null) {
            return null;
        }
        int limit = limit(query, 4);
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < limit; i++) {
            int h = hash(user + "r" + i);
            out.append(i > 0 ? "," : "").append("{\"sku\":\"sku-").append(1000 + h % 9000).append("\",\"title\":\"")
                    .append(PRODUCTS[h % PRODUCTS.length]).append("\",\"score\":0.").append(99 - i * 7).append('}');
        }
        return out.append(']').toString();
    }

    /** GET /cart/users/{userId} */
    private static String cart(List<String> path, Map<String, List<String>> query) {
        String user = user(path);
        if (user == null) {
            return null;
        }
        int h = hash(user + "cart");
        int items = h % 3;
        StringBuilder out = new StringBuilder("{\"items\":[");
        for (int i = 0; i < items; i++) {
            out.append(i > 0 ? "," : "").append("{\"sku\":\"sku-").append(2000 + (h + i) % 7000)
                    .append("\",\"quantity\":").append(1 + i).append('}');
        }
        return out.append("],\"itemCount\":").append(items).append('}').toString();
    }

    /** GET /loyalty/users/{userId} */
    private static String loyalty(List<String> path, Map<String, List<String>> query) {
        String user = user(path);
        if (user == null) {
            return null;
        }
        int h = hash(user + "loyalty");
        return "{\"userId\":\"" + user + "\",\"tier\":\"" + TIERS[h % TIERS.length] + "\",\"points\":" + (h % 10000)
                + "}";
    }

    /** GET /tier-recommendations/tiers/{tier} */
    private static String tierRecommendations(List<String> path, Map<String, List<String>> query) {
        if (path.size() != 2 || !path.get(0).equals("tiers") || !List.of(TIERS).contains(path.get(1))) {
            return null;
        }
        String tier = path.get(1);
        return "[{\"offer\":\"" + tier + " members: free shipping\",\"tier\":\"" + tier + "\"},{\"offer\":\"" + tier
                + " members: early access\",\"tier\":\"" + tier + "\"}]";
    }

    private static String user(List<String> path) {
        return path.size() == 2 && path.get(0).equals("users") && path.get(1).matches("[0-9]{1,18}")
                ? path.get(1) : null;
    }

    private static int limit(Map<String, List<String>> query, int fallback) {
        List<String> values = query.get("limit");
        if (values == null || values.isEmpty() || !values.get(0).matches("[0-9]{1,2}")) {
            return fallback;
        }
        return Math.min(Integer.parseInt(values.get(0)), 20);
    }

    private static int hash(String s) {
        return s.hashCode() & 0x7fffffff;
    }
}
