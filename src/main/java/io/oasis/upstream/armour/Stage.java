package io.oasis.upstream.armour;

import java.util.List;
import java.util.function.Consumer;

/**
 * One layer of the armour around a call, with one responsibility: it answers at once ({@code done}), or hands the
 * call to the layers inside it ({@code next}) and sees their answer on its way out. Asynchronous: {@code done} may
 * be called on another thread, later, and is called exactly once. The order of the layers is {@link Armour}'s.
 *
 * @param <C> the call's state
 * @param <R> what the call ends with
 */
@FunctionalInterface
public interface Stage<C, R> {

    void run(C call, Next<C, R> next, Consumer<R> done);

    /** The layers inside this one. */
    @FunctionalInterface
    interface Next<C, R> {

        void run(C call, Consumer<R> done);
    }

    /** The stages as one chain, the first outermost; the last one must answer, it has nothing inside it. */
    static <C, R> Next<C, R> chain(List<? extends Stage<C, R>> stages) {
        Next<C, R> next = (call, done) -> {
            throw new IllegalStateException("the innermost stage of the armour handed the call on: nothing is there");
        };
        for (int i = stages.size() - 1; i >= 0; i--) {
            Stage<C, R> stage = stages.get(i);
            Next<C, R> inner = next;
            next = (call, done) -> stage.run(call, inner, done);
        }
        return next;
    }
}
