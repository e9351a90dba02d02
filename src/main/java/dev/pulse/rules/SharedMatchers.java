package dev.pulse.rules;

/**
 * A compiled rule set's matchers in rule order, one instance for all its families: the stateless ones as they are,
 * the {@link Matcher.Stateful} ones as their empty forms, which a family replaces with its own once it has state.
 * Immutable: nothing changes the matchers it holds.
 */
final class SharedMatchers {

    private final Matcher[] matchers;
    /** Per matcher, its index among the stateful ones, or -1. */
    private final int[] stateIndex;
    private final int stateful;

    SharedMatchers(Matcher[] matchers) {
        this.matchers = matchers.clone();
        this.stateIndex = new int[matchers.length];
        int k = 0;
        for (int i = 0; i < matchers.length; i++) {
            stateIndex[i] = matchers[i] instanceof Matcher.Stateful ? k++ : -1;
        }
        this.stateful = k;
    }

    int size() {
        return matchers.length;
    }

    Matcher get(int i) {
        return matchers[i];
    }

    /** The index of matcher {@code i} among the stateful ones, or -1 when it is stateless. */
    int stateIndex(int i) {
        return stateIndex[i];
    }

    /** How many of the matchers are stateful. */
    int stateful() {
        return stateful;
    }
}
