package dev.pulse.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The defaults the rule records fill in. Lists are copied but may hold nulls, which the validator reports. */
final class RuleFields {

    static final BigDecimal DEFAULT_CONFIDENCE = BigDecimal.ONE;
    static final String ANY_TYPE = "*";

    private RuleFields() {
    }

    static BigDecimal confidence(BigDecimal confidence) {
        return confidence == null ? DEFAULT_CONFIDENCE : confidence;
    }

    static <T> List<T> copyOrEmpty(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
