package io.workjs.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.workjs.runtime.internal.CallRate.Verdict;
import org.junit.jupiter.api.Test;

/** The rate limit as frames arrive, on a clock the test moves. */
class CallRateTest {
    @Test
    void aBurstIsAllowedThenFramesAreLimited() {
        CallRate rate = new CallRate(10, 3, 0);
        assertEquals(Verdict.ALLOWED, rate.take(0));
        assertEquals(Verdict.ALLOWED, rate.take(0));
        assertEquals(Verdict.ALLOWED, rate.take(0));
        assertEquals(Verdict.LIMITED, rate.take(0));
    }

    @Test
    void tokensComeBackAtTheRate() {
        CallRate rate = new CallRate(10, 3, 0);
        for (int i = 0; i < 3; i++) rate.take(0);
        assertEquals(Verdict.LIMITED, rate.take(50), "half a token after 50 ms at 10 per second");
        assertEquals(Verdict.ALLOWED, rate.take(150));
        assertEquals(Verdict.LIMITED, rate.take(150));
    }

    @Test
    void moreRefusalsThanABurstWithinASecondCutTheClientOff() {
        CallRate rate = new CallRate(1, 2, 0);
        rate.take(0);
        rate.take(0);
        assertEquals(Verdict.LIMITED, rate.take(10));
        assertEquals(Verdict.LIMITED, rate.take(20));
        assertEquals(Verdict.CUT_OFF, rate.take(30));
    }

    @Test
    void refusalsSpreadOverMoreThanASecondAreNotACutOff() {
        CallRate rate = new CallRate(1, 2, 0);
        rate.take(0);
        rate.take(0);
        assertEquals(Verdict.LIMITED, rate.take(10));
        assertEquals(Verdict.LIMITED, rate.take(20));
        assertEquals(Verdict.ALLOWED, rate.take(1_020), "a token came back meanwhile");
        assertEquals(Verdict.LIMITED, rate.take(1_030), "a new second of refusals starts counting afresh");
        assertEquals(Verdict.LIMITED, rate.take(1_040));
    }
}
