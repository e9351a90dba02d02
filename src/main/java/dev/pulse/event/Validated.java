package dev.pulse.event;

/** The outcome of validating one record: an event, or the reason it is refused. */
public sealed interface Validated {

    record Valid(Event event) implements Validated {
    }

    record Invalid(Rejection rejection) implements Validated {
    }
}
