package dev.osprey.bench.sim;

/**
 * Where one completed request's time to first token went, and what the pool looked like when it was dispatched
 * ({@code simulate --trace}). Times are virtual nanoseconds; server state is the engines' true state, the view is
 * what the picker was given.
 *
 * @param index request index
 * @param stage ladder stage of its arrival
 * @param server index of the server it went to
 * @param arrivalNanos arrival (= dispatch) time
 * @param promptTokens prompt length
 * @param outputTokens output length
 * @param queueNanos engine arrival to the first step that computed it (waiting for a sequence slot, budget or blocks)
 * @param prefillNanos first step that computed it to the end of the step that produced its first token
 * @param ttftNanos client-visible time to first token (queue + prefill + the profile's response overhead)
 * @param finishNanos when the server finished it (end of its last step), absolute
 * @param preemptions times it was preempted
 * @param waiting requests waiting on each server at dispatch
 * @param running requests running on each server at dispatch
 * @param viewWaiting waiting requests of each server in the picker's view
 * @param kvUsage KV-cache block usage of each server at dispatch (0..1), true state
 */
public record RequestTrace(int index, int stage, int server, long arrivalNanos, int promptTokens, int outputTokens,
        long queueNanos, long prefillNanos, long ttftNanos, long finishNanos, int preemptions, int[] waiting,
        int[] running, int[] viewWaiting, double[] kvUsage) {

    /** One tab-separated line (columns as {@link #HEADER}); server arrays as comma lists. */
    String tsv() {
        return index + "\t" + stage + "\t" + server + "\t" + ms(arrivalNanos) + "\t" + promptTokens + "\t"
                + outputTokens + "\t" + ms(queueNanos) + "\t" + ms(prefillNanos) + "\t" + ms(ttftNanos) + "\t"
                + ms(finishNanos) + "\t" + preemptions + "\t" + list(waiting) + "\t" + list(running) + "\t"
                + list(viewWaiting) + "\t" + list(kvUsage);
    }

    static final String HEADER = "index\tstage\tserver\tarrival_ms\tprompt\toutput\tqueue_ms\tprefill_ms\tttft_ms"
            + "\tfinish_ms\tpreemptions\twaiting\trunning\tview_waiting\tkv_usage";

    private static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String list(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.3f", values[i]));
        }
        return sb.toString();
    }

    private static String list(int[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(values[i]);
        }
        return sb.toString();
    }
}
