/**
 * Event-time windows and the counters over them (SPEC §2, §3.2, §3.5, §7). Pure: no framework, no I/O,
 * no wall clock.
 * <ul>
 *   <li>{@link dev.pulse.stream.window.Window}: a half-open interval {@code [start, end)}; tumbling and
 *       sliding windows are aligned to the Unix epoch in UTC.</li>
 *   <li>{@link dev.pulse.stream.window.WindowSpec}: tumbling, sliding, session and count windows, parsed
 *       from configuration text such as {@code tumbling:1m} or {@code sliding:1h/5m}.</li>
 *   <li>{@link dev.pulse.stream.window.WindowCounter}: one per partition; takes events and watermarks and
 *       returns {@link dev.pulse.stream.window.Outcome}s (rows to upsert, rows to delete, late events) as
 *       values, or keeps a micro-batch's net effect as {@link dev.pulse.stream.window.CounterChanges}
 *       without building them. A window is final when the watermark reaches its end and is forgotten after allowed
 *       lateness; for events within the out-of-orderness bound its rows do not depend on arrival order.</li>
 * </ul>
 */
package dev.pulse.stream.window;
