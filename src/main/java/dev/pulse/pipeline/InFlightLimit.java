package dev.pulse.pipeline;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * At most {@code max} records between the receiver and the end of their checkpoint (SPEC §4: a slow
 * database slows consumption, it never grows memory). Upstream is asked for no more records than there
 * are free permits, whatever downstream asks for; a record's permit returns when the step that took its
 * batch is over ({@link #release}). Requests take permits before the records arrive, so records
 * requested, delivered and not yet released never exceed {@code max}.
 *
 * <p>Why a gate of its own rather than the operators' prefetch: what the lanes ask for is not small.
 * {@code groupBy} keeps 256 records ahead, and a fair {@code bufferTimeout} asks for four batches ahead
 * per lane (its fixed prefetch, {@code batchSize << 2}: 20,000 records a lane at the default 5,000), so
 * the operators alone would hold up to {@code lanes × 4 × checkpoint-max-events} records while the
 * database stalls. Upstream of the gate the Reactor Kafka receiver asks the consumer for one poll at a
 * time and pauses it once nobody asks, so when the gate stops asking, the consumer stops reading.
 *
 * <p>One instance per subscription of the pipeline: a failed pipeline is resubscribed with a fresh limit,
 * so permits of records that the failure threw away are not lost.
 */
final class InFlightLimit {

    private final int max;
    /** Permits not taken by a request; only {@link Gate#drain} takes, only {@link #release} gives back. */
    private final AtomicLong free;
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong released = new AtomicLong();
    private volatile Gate<?> gate;

    InFlightLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max records in flight must be >= 1, was " + max);
        }
        this.max = max;
        this.free = new AtomicLong(max);
    }

    /** {@code source}, asked for records only while fewer than {@code max} are in flight; subscribe to it once. */
    <T> Flux<T> admit(Flux<T> source) {
        // hide(): the gate is no queue, so it must not pass on a fuseable source's fusion contract.
        return source.hide().transform(Operators.<T, T>lift((scannable, actual) -> {
            Gate<T> subscriber = new Gate<>(actual);
            gate = subscriber;
            return subscriber;
        }));
    }

    /** Gives back the permits of {@code records} records whose step is over (committed, skipped or abandoned). */
    void release(int records) {
        if (records <= 0) {
            return;
        }
        released.addAndGet(records);
        free.addAndGet(records);
        Gate<?> current = gate;
        if (current != null) {
            current.drain();
        }
    }

    /** Records delivered through the gate and not yet released. */
    long inFlight() {
        return admitted.get() - released.get();
    }

    int max() {
        return max;
    }

    private final class Gate<T> implements CoreSubscriber<T>, Subscription {

        private final CoreSubscriber<? super T> actual;
        /** Downstream demand the permits have not covered yet. */
        private final AtomicLong requested = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private volatile Subscription upstream;
        private volatile boolean cancelled;

        Gate(CoreSubscriber<? super T> actual) {
            this.actual = actual;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(T record) {
            admitted.incrementAndGet();
            actual.onNext(record);
        }

        @Override
        public void onError(Throwable t) {
            actual.onError(t);
        }

        @Override
        public void onComplete() {
            actual.onComplete();
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                requested.getAndUpdate(r -> r + n < 0 ? Long.MAX_VALUE : r + n);
                drain();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            upstream.cancel();
        }

        /** Serialised by {@code wip}: demand and permits are taken here only, so neither goes negative. */
        void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                if (!cancelled) {
                    long wanted = requested.get();
                    long n = Math.min(wanted, free.get());
                    if (n > 0) {
                        if (wanted != Long.MAX_VALUE) {
                            requested.addAndGet(-n);
                        }
                        free.addAndGet(-n);
                        upstream.request(n);
                    }
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }
    }
}
