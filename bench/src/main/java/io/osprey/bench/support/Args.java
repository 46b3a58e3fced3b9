package io.osprey.bench.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Command-line arguments: one positional scenario name and {@code --name value}, {@code --name=value} or
 * boolean {@code --flag} options. An option given twice keeps every value ({@link #all}); single-valued
 * getters return the last one, so a later argument overrides an earlier default.
 */
public final class Args {

    private final List<String> positionals;
    private final Map<String, List<String>> options;

    private Args(List<String> positionals, Map<String, List<String>> options) {
        this.positionals = positionals;
        this.options = options;
    }

    /**
     * @param argv  raw arguments
     * @param flags names (without dashes) of options that take no value
     */
    public static Args parse(String[] argv, Set<String> flags) {
        List<String> positionals = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.equals("--")) {
                for (int j = i + 1; j < argv.length; j++) {
                    positionals.add(argv[j]);
                }
                break;
            }
            if (arg.startsWith("--") && arg.length() > 2) {
                String body = arg.substring(2);
                String name;
                String value;
                int eq = body.indexOf('=');
                if (eq >= 0) {
                    name = body.substring(0, eq);
                    value = body.substring(eq + 1);
                } else if (flags.contains(body)) {
                    name = body;
                    value = "true";
                } else {
                    name = body;
                    if (i + 1 >= argv.length) {
                        throw new IllegalArgumentException("option --" + name + " needs a value");
                    }
                    value = argv[++i];
                }
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("empty option name in '" + arg + "'");
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else if (arg.equals("-h")) {
                options.computeIfAbsent("help", k -> new ArrayList<>()).add("true");
            } else {
                positionals.add(arg);
            }
        }
        return new Args(List.copyOf(positionals), options);
    }

    public List<String> positionals() {
        return positionals;
    }

    /** First positional argument (the scenario), or {@code null}. */
    public String scenario() {
        return positionals.isEmpty() ? null : positionals.get(0);
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    public String string(String name, String defaultValue) {
        List<String> values = options.get(name);
        return values == null ? defaultValue : values.get(values.size() - 1);
    }

    public List<String> all(String name) {
        List<String> values = options.get(name);
        return values == null ? List.of() : Collections.unmodifiableList(values);
    }

    public boolean flag(String name) {
        String value = string(name, null);
        if (value == null) {
            return false;
        }
        if (value.equalsIgnoreCase("true") || value.equals("1") || value.equalsIgnoreCase("yes")) {
            return true;
        }
        if (value.equalsIgnoreCase("false") || value.equals("0") || value.equalsIgnoreCase("no")) {
            return false;
        }
        throw new IllegalArgumentException("option --" + name + " expects true or false, got '" + value + "'");
    }

    public int integer(String name, int defaultValue, int min) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + name + " expects an integer, got '" + value + "'");
        }
        if (parsed < min) {
            throw new IllegalArgumentException("option --" + name + " must be >= " + min + ", got " + parsed);
        }
        return parsed;
    }

    /** Fails with the list of unknown option names, if any. */
    public void requireKnown(Set<String> known) {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", unknown));
        }
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(options.keySet());
    }

    /** An environment variable, or the default when it is unset or blank. */
    public static String env(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
