package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;
import java.util.ArrayList;
import java.util.List;

/** The outcomes of one call, in the order they happened; rows are copied as they are at the report. */
final class OutcomeList implements ChangeSink {

    private final List<Outcome> outcomes = new ArrayList<>();

    List<Outcome> outcomes() {
        return outcomes;
    }

    @Override
    public void updated(LiveRow row) {
        outcomes.add(new Outcome.Updated(row.row()));
    }

    @Override
    public void updated(CounterRow row) {
        outcomes.add(new Outcome.Updated(row));
    }

    @Override
    public void removed(LiveRow row) {
        outcomes.add(new Outcome.Removed(row.key()));
    }

    @Override
    public void removed(CounterKey key) {
        outcomes.add(new Outcome.Removed(key));
    }

    @Override
    public void late(Event event, WindowSpec spec, Window window, Watermark watermark) {
        outcomes.add(new Outcome.Late(event, spec, window, watermark));
    }
}
