package dev.overlaynet.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict {@code --key value} / {@code --key=value} / {@code --flag} parsing
 * for the example programs: an option the program does not know, an option
 * given twice, or a flag given a value is an error, never silently ignored.
 *
 * <pre>{@code
 * Args a = Args.parse(argv, Set.of("vni", "dev"), Set.of("help"));
 * a.rejectOthers(Set.of("vni"), "with --simulate"); // --dev is then an error
 * }</pre>
 */
final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> flags = new LinkedHashSet<>();

    private Args() {}

    static Args parse(String[] argv, Set<String> valueOptions, Set<String> booleanFlags) {
        Args a = new Args();
        for (int i = 0; i < argv.length; i++) {
            String k = argv[i];
            if (!k.startsWith("--") || k.length() == 2) {
                throw new IllegalArgumentException("unexpected argument \"" + k + "\"");
            }
            String key = k.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (booleanFlags.contains(key)) {
                if (value != null) {
                    throw new IllegalArgumentException("--" + key + " takes no value");
                }
                if (!a.flags.add(key)) {
                    throw new IllegalArgumentException("--" + key + " given twice");
                }
                continue;
            }
            if (!valueOptions.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
            if (value == null) {
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException("--" + key + " needs a value");
                }
                value = argv[++i];
            }
            if (a.values.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("--" + key + " given twice");
            }
        }
        return a;
    }

    /** Fails if an option outside {@code used} was given: it would be ignored {@code when}. */
    void rejectOthers(Set<String> used, String when) {
        for (String k : values.keySet()) {
            if (!used.contains(k)) {
                throw new IllegalArgumentException("--" + k + " is not used " + when);
            }
        }
        for (String k : flags) {
            if (!used.contains(k) && !k.equals("help")) {
                throw new IllegalArgumentException("--" + k + " is not used " + when);
            }
        }
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String get(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    int getInt(String name, int dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        if (!v.matches("-?[0-9]{1,9}")) {
            throw new IllegalArgumentException("--" + name + " must be a decimal number, got \"" + v + "\"");
        }
        return Integer.parseInt(v);
    }

    /** An int option within {@code [min..max]}. */
    int getInt(String name, int dflt, int min, int max) {
        int v = getInt(name, dflt);
        if (v < min || v > max) {
            throw new IllegalArgumentException("--" + name + " must be in [" + min + ".." + max + "], got " + v);
        }
        return v;
    }

    /** One of {@code choices}. */
    String choice(String name, String dflt, List<String> choices) {
        String v = get(name, dflt);
        if (!choices.contains(v)) {
            throw new IllegalArgumentException("--" + name + " must be one of " + String.join("|", choices)
                    + ", got \"" + v + "\"");
        }
        return v;
    }

    List<String> list(String name) {
        String v = values.get(name);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String s : v.split(",", -1)) {
                if (s.isBlank()) {
                    throw new IllegalArgumentException("--" + name + " has an empty element: \"" + v + "\"");
                }
                out.add(s.trim());
            }
        }
        return out;
    }
}
