package dev.pulse.event;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code PaymentReceived} v2 carries {@code amount_cents} (an integer > 0) instead of {@code amount}. */
final class PaymentReceivedV2 implements Upcaster {

    @Override
    public EventType type() {
        return EventType.PAYMENT_RECEIVED;
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public Map<String, Object> toPrevious(Map<String, Object> data) {
        Object cents = data.get("amount_cents");
        if (cents == null) {
            throw new EventValidator.Refused("event_data.amount_cents", "is required for PaymentReceived version 2");
        }
        if (!JsonValues.isInteger(cents)) {
            throw new EventValidator.Refused("event_data.amount_cents", "must be an integer, was " + JsonValues.typeName(cents));
        }
        BigDecimal amount = JsonValues.decimal(cents).movePointLeft(2);
        if (amount.signum() <= 0) {
            throw new EventValidator.Refused("event_data.amount_cents", "must be > 0, was " + cents);
        }
        Map<String, Object> previous = new LinkedHashMap<>(data);
        previous.remove("amount_cents");
        // 45000 cents is 450.00: two decimals, as a version-1 client writes an amount in cents' precision.
        previous.put("amount", amount);
        return previous;
    }
}
