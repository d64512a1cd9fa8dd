package io.loomcast.gateway.bench;

/**
 * This process's part of a load test spread over several machines ({@code bench ... --shard I/N}): clients
 * {@code firstClient} .. {@code firstClient + clients - 1} of {@code totalClients}, which keep their global index
 * in {@code {i}}. {@code bench merge} adds the parts' reports up.
 *
 * @param index        I, from 0
 * @param count        N, the number of shards
 * @param firstClient  the global index of this shard's first client
 * @param clients      how many clients this shard runs
 * @param totalClients the whole run's clients, all shards together
 */
public record BenchShard(int index, int count, int firstClient, int clients, int totalClients) {

    public BenchShard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("a shard is I/N with 0 <= I < N, got %d/%d".formatted(index, count));
        }
    }

    /**
     * Shard {@code index} of {@code count} of a run of {@code totalClients}: a contiguous slice; slices differ in
     * size by one client at most.
     *
     * @throws IllegalArgumentException when the slice would be empty
     */
    public static BenchShard of(int index, int count, int totalClients) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("a shard is I/N with 0 <= I < N, got %d/%d".formatted(index, count));
        }
        int first = (int) ((long) index * totalClients / count);
        int end = (int) ((long) (index + 1) * totalClients / count);
        if (end == first) {
            throw new IllegalArgumentException("shard %d/%d of %d clients has none; use fewer shards"
                    .formatted(index, count, totalClients));
        }
        return new BenchShard(index, count, first, end - first, totalClients);
    }

    /** {@code I/N}. */
    public String label() {
        return index + "/" + count;
    }
}
