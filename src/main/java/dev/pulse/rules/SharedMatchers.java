package dev.pulse.rules;

/**
 * A compiled rule set's matchers in rule order, one instance for all its families: the stateless ones as they are,
 * the {@link Matcher.Stateful} ones as their empty forms, which a family replaces with its own once it has state.
 * With them, the rule set's frozen horizon. Immutable: nothing changes the matchers it holds.
 */
final class SharedMatchers {

    private final Matcher[] matchers;
    private final FrozenHorizon horizon;
    /** Per matcher, its index among the stateful ones, or -1. */
    private final int[] stateIndex;
    private final int stateful;

    SharedMatchers(Matcher[] matchers, FrozenHorizon horizon) {
        this.matchers = matchers.clone();
        this.horizon = horizon;
        this.stateIndex = new int[matchers.length];
        int k = 0;
        for (int i = 0; i < matchers.length; i++) {
            stateIndex[i] = matchers[i] instanceof Matcher.Stateful ? k++ : -1;
        }
        this.stateful = k;
    }

    /** The rule set's frozen horizon, which moves every family's {@link Ledger}. */
    FrozenHorizon horizon() {
        return horizon;
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
