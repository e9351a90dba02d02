package dev.pulse.stream.window;

import java.time.Duration;

/** The configuration text of a {@link WindowSpec}: {@code <type>:<arguments>} (see {@link WindowSpec#parse}). */
final class WindowSpecText {

    private static final String FORMS =
            "tumbling:<size>, sliding:<size>/<slide>, session:<gap> or count:<n>[/<slide>], e.g. tumbling:1m";

    private WindowSpecText() {
    }

    static WindowSpec parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("window spec must be one of " + FORMS + ", was null");
        }
        String trimmed = text.strip();
        int colon = trimmed.indexOf(':');
        if (colon < 0) {
            throw invalid(text, "must be one of " + FORMS);
        }
        String type = trimmed.substring(0, colon);
        String[] args = trimmed.substring(colon + 1).split("/", -1);
        try {
            return switch (type) {
                case "tumbling" -> WindowSpec.tumbling(duration(text, args, 1, "tumbling:<size>, e.g. tumbling:1m")[0]);
                case "sliding" -> {
                    Duration[] d = duration(text, args, 2, "sliding:<size>/<slide>, e.g. sliding:1h/5m");
                    yield WindowSpec.sliding(d[0], d[1]);
                }
                case "session" -> WindowSpec.session(duration(text, args, 1, "session:<gap>, e.g. session:30m")[0]);
                case "count" -> count(text, args);
                default -> throw invalid(text, "unknown type \"" + type + "\"; expected " + FORMS);
            };
        } catch (InvalidSpec e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // a constructor's rule (slide > size, zero size): say which configured text broke it
            throw invalid(text, e.getMessage());
        }
    }

    private static Duration[] duration(String text, String[] args, int arity, String form) {
        if (args.length != arity) {
            throw invalid(text, "must be " + form);
        }
        Duration[] durations = new Duration[arity];
        for (int i = 0; i < arity; i++) {
            try {
                durations[i] = DurationShorthand.parse(args[i]);
            } catch (IllegalArgumentException e) {
                throw invalid(text, e.getMessage());
            }
        }
        return durations;
    }

    private static WindowSpec count(String text, String[] args) {
        if (args.length < 1 || args.length > 2) {
            throw invalid(text, "must be count:<n>[/<slide>], e.g. count:5/1");
        }
        int size = positiveInt(text, args[0], "count window size");
        int slide = args.length == 2 ? positiveInt(text, args[1], "count window slide") : size;
        return WindowSpec.count(size, slide);
    }

    private static int positiveInt(String text, String arg, String what) {
        if (!arg.strip().matches("\\d{1,9}")) {
            throw invalid(text, what + " \"" + arg + "\" must be a whole number, e.g. count:5/1");
        }
        return Integer.parseInt(arg.strip());
    }

    private static InvalidSpec invalid(String text, String rule) {
        return new InvalidSpec("window spec \"" + text + "\": " + rule);
    }

    /** Marks messages that already name the spec text, so they are not wrapped twice. */
    private static final class InvalidSpec extends IllegalArgumentException {
        InvalidSpec(String message) {
            super(message);
        }
    }
}
