package dev.pulse.family;

/** The live features a risk model may weigh (SPEC §3.7), by the names a model file gives them. */
enum RiskFeature {
    CURRENT_SCORE("current_score"),
    TREND_SLOPE("trend_slope"),
    CHANGE_7D("change_7d"),
    LOGINS_7D("logins_7d"),
    PAYMENTS_7D("payments_7d"),
    OPEN_OVERDUE("open_overdue"),
    BOUNCES_30D("bounces_30d");

    private static final RiskFeature[] ALL = values();

    private final String wireName;

    RiskFeature(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    /** The feature a model names; every {@link RiskModel.Term} names one (it is checked when read). */
    static RiskFeature named(String name) {
        for (RiskFeature f : ALL) {
            if (f.wireName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown risk feature '" + name + "'");
    }

    static int count() {
        return ALL.length;
    }
}
