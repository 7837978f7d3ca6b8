package dev.overlaynet.it;

import dev.overlaynet.testkit.Oracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code nft} as a test oracle inside a named namespace. */
final class NftOracle {
    private NftOracle() {}

    /** Loads {@code text} with {@code nft -f} in {@code netns}. */
    static void load(String netns, String text) throws Exception {
        Path f = Files.createTempFile("ovt-nft", ".nft");
        try {
            Files.writeString(f, text);
            Oracle.Result r = Oracle.execIn(netns, "nft", "-f", f.toString());
            if (!r.ok()) {
                throw new AssertionError("nft -f failed: " + r.stderr() + "\n" + text);
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    static void run(String netns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("nft"));
        cmd.addAll(List.of(args));
        Oracle.Result r = Oracle.execIn(netns, cmd.toArray(new String[0]));
        if (!r.ok()) {
            throw new AssertionError("nft " + String.join(" ", args) + " failed: " + r.stderr());
        }
    }

    /** {@code nft list ruleset} text. */
    static String ruleset(String netns) throws Exception {
        Oracle.Result r = Oracle.execIn(netns, "nft", "list", "ruleset");
        if (!r.ok()) {
            throw new AssertionError("nft list ruleset failed: " + r.stderr());
        }
        return r.stdout();
    }

    /** The objects of {@code nft -j list ruleset} of one kind ("table", "chain", "rule"), handles removed. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(String netns, String kind) throws Exception {
        Oracle.Result r = Oracle.execIn(netns, "nft", "-j", "list", "ruleset");
        if (!r.ok()) {
            throw new AssertionError("nft -j list ruleset failed: " + r.stderr());
        }
        Map<String, Object> root = (Map<String, Object>) dev.overlaynet.testkit.Json.parse(r.stdout().strip());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<Object>) root.get("nftables")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (m.containsKey(kind)) {
                Map<String, Object> v = new LinkedHashMap<>((Map<String, Object>) m.get(kind));
                v.remove("handle");
                out.add(v);
            }
        }
        return out;
    }
}
