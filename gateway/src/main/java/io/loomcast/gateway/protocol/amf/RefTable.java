package io.loomcast.gateway.protocol.amf;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.Arrays;

/**
 * A reader's reference table (AMF0 2.9; AMF3 strings, objects and traits): entries by index in order of
 * appearance, each with its expanded size so that resolving a reference can charge the
 * {@link AmfLimits#maxExpandedBytes()} budget. An entry is empty while its value is still being read.
 */
final class RefTable<T> {
    private final String what;
    private Object[] values = new Object[8];
    private int[] sizes = new int[8];
    private int count;

    /** @param what names a reference in messages, e.g. "AMF3 string reference" */
    RefTable(String what) {
        this.what = what;
    }

    /** Takes the next index for a value whose reading has started. */
    int reserve() {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
            sizes = Arrays.copyOf(sizes, count * 2);
        }
        return count++;
    }

    /** Fills a reserved slot; {@code expandedBytes} is the value's span plus what its own references added. */
    void fill(int index, T value, long expandedBytes) {
        values[index] = value;
        // The budget is an int, so a size past it would already have failed.
        sizes[index] = (int) Math.min(expandedBytes, Integer.MAX_VALUE);
    }

    void add(T value, long expandedBytes) {
        fill(reserve(), value, expandedBytes);
    }

    /** The value at index, charging its expanded size to the input's budget. */
    @SuppressWarnings("unchecked")
    T resolve(int index, int at, AmfInput in) throws ProtocolException {
        if (index < 0 || index >= count) {
            throw new ProtocolException("%s %d at offset %d out of range: the table holds %d"
                    .formatted(what, index, at, count));
        }
        T v = (T) values[index];
        if (v == null) {
            throw new ProtocolException("%s %d at offset %d points to a value still being read; cycles are not supported"
                    .formatted(what, index, at));
        }
        in.expand(sizes[index], what, index, at);
        return v;
    }
}
