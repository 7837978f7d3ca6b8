package dev.overlaynet.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Minimal {@code --key value} / {@code --flag} parsing for the example programs. */
final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> flags = new ArrayList<>();

    private Args() {}

    static Args parse(String[] argv, List<String> booleanFlags) {
        Args a = new Args();
        for (int i = 0; i < argv.length; i++) {
            String k = argv[i];
            if (!k.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument \"" + k + "\" (try --help)");
            }
            String key = k.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                a.values.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (booleanFlags.contains(key)) {
                a.flags.add(key);
            } else {
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException("--" + key + " needs a value (try --help)");
                }
                a.values.put(key, argv[++i]);
            }
        }
        return a;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String get(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required (try --help)");
        }
        return v;
    }

    int getInt(String name, int dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got \"" + v + "\"");
        }
    }

    List<String> list(String name) {
        String v = values.get(name);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }
}
