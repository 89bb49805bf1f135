package io.workjs.runtime;

/**
 * What the server does around each batch of the loop's turns (up to 256 frames and tasks, taken
 * one per connection in turn). The transport holds the frames the loop sends during a batch and
 * writes them at its end: several replies to one connection then leave in one write, and an I/O
 * thread is woken once per batch instead of once per frame (bench/RESULTS.md, section 14). Both
 * methods run on the loop thread; {@link #end} runs however the batch ended.
 */
public interface LoopBatches {
    /** Nothing held: every frame is written as soon as it is sent. */
    LoopBatches NONE = new LoopBatches() {
        @Override
        public void begin() {
        }

        @Override
        public void end() {
        }
    };

    /** A batch starts on this thread. */
    void begin();

    /** The batch is over: what it sent may be written now. */
    void end();
}
