#!/usr/bin/python3
"""bench/peer/reference_simpy.py - the reference workload of bench/reference.yaml as an
idiomatic SimPy 2 model (Debian python3-simpy 2.3.1), the peer cspsim is compared with by
bench/bench.sh (issue 14: ">= 50x faster per simulated subscription").

One Process per subscription, written the way a SimPy user would: the subscription's life is
a generator that holds until its next happening. Per term it renews at the term end (the
renewal completes after a processing delay uniform 0-24 h; a charge for the first month; the
7-day cancel window closes 168 h later; 3% of renewals are cancelled at a uniform instant
inside the window, which ends the subscription), charges each further month of a P1Y term,
and without autorenew expires at the term end, is disabled after the 30-day grace and deleted
at once (retention 0). Terms count in calendar months from the purchase day (end of month
clamped), as cspsim's model/calendar does; the start state follows the population format:
terms that ended before the start were renewed silently, a non-renewing one whose term ended
before the start is never created, the month running at the start was already paid.

Each happening that cspsim writes as a trace record is counted as a record here (SimPy's
holds are the events); the counts are printed so the two models can be seen to do the same
work. Output: one line of key=value pairs, wall time measured around simulate() only and
around everything.
Usage: reference_simpy.py [--tenants N] [--subs N] [--years N] [--seed N] [--cancel-p P]
"""
import argparse
import calendar
import datetime
import random
import sys
import time

from SimPy.Simulation import Process, activate, hold, initialize, now, simulate

DAY = 86400.0
HOUR = 3600.0
EPOCH = datetime.datetime(2025, 1, 1)   # the scenario's start: simulation time 0
BOUGHT_FROM = datetime.datetime(2024, 1, 1)


def seconds(dt):
    return (dt - EPOCH).total_seconds()


def add_months(d, months):
    """The date `months` calendar months after d, end of month clamped."""
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return d.replace(year=y, month=m, day=min(d.day, calendar.monthrange(y, m)[1]))


class Counts:
    def __init__(self):
        self.records = {}

    def add(self, kind):
        self.records[kind] = self.records.get(kind, 0) + 1


class Subscription(Process):
    """A subscription of a term of `term` months, anchored at `anchor` (a date at 00:00)."""

    def __init__(self, anchor, term, autorenew, k, rng, counts, cancel_p):
        Process.__init__(self)
        self.anchor, self.term, self.autorenew = anchor, term, autorenew
        self.k = k  # months from the anchor to the current term's start
        self.rng, self.counts, self.cancel_p = rng, counts, cancel_p

    def at(self, months):
        return seconds(add_months(self.anchor, months))

    def wait_until(self, t):
        return hold, self, max(0.0, t - now())

    def life(self, window_end):
        rec = self.counts.add
        # the current term at the start: its window may still be open, its first month was paid
        if window_end > now():
            yield self.wait_until(window_end)
            rec("cancel_window_closed")
        while True:
            for m in range(1, self.term):  # monthly charges after the first
                t = self.at(self.k + m)
                if t > now():
                    yield self.wait_until(t)
                    rec("charge")
            yield self.wait_until(self.at(self.k + self.term))  # the term end
            if not self.autorenew:
                rec("expired")
                yield hold, self, 30 * DAY
                rec("grace_ended")
                rec("disabled")
                rec("deleted")
                rec("data_kept")
                return
            rec("renewal_started")
            yield hold, self, self.rng.uniform(0.0, 24 * HOUR)
            self.k += self.term
            rec("renewal_completed")
            rec("charge")
            if self.rng.random() < self.cancel_p:
                yield hold, self, self.rng.uniform(0.0, 144 * HOUR)
                rec("action")   # the cancel, accepted: refunded and deleted at once
                rec("refund")
                rec("deleted")
                rec("data_kept")
                return
            yield hold, self, 168 * HOUR
            rec("cancel_window_closed")


def generate(args, rng, counts):
    """Creates and activates every subscription; returns how many were created."""
    span = seconds(EPOCH) - seconds(BOUGHT_FROM)
    created = 0
    for _ in range(args.tenants):
        for _ in range(args.subs):
            term = 1 if rng.random() < 0.7 else 12
            bought = BOUGHT_FROM + datetime.timedelta(seconds=rng.uniform(0.0, span))
            anchor = datetime.datetime(bought.year, bought.month, bought.day)
            autorenew = rng.random() < 0.98
            k = 0
            while seconds(add_months(anchor, k + term)) < 0:  # renewed silently before the start
                k += term
            if k and not autorenew:
                continue  # its term ended before the start without renewing: never created
            sub = Subscription(anchor, term, autorenew, k, rng, counts, args.cancel_p)
            window_end = seconds(add_months(anchor, k)) + 168 * HOUR
            activate(sub, sub.life(window_end), at=0.0)
            created += 1
    return created


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tenants", type=int, default=1000)
    p.add_argument("--subs", type=int, default=10)
    p.add_argument("--years", type=int, default=3)
    p.add_argument("--seed", type=int, default=14)
    p.add_argument("--cancel-p", type=float, default=0.03)
    args = p.parse_args()
    t0 = time.perf_counter()
    rng = random.Random(args.seed)
    counts = Counts()
    initialize()
    created = generate(args, rng, counts)
    t1 = time.perf_counter()
    end = seconds(datetime.datetime(EPOCH.year + args.years, 1, 1))
    simulate(until=end)
    t2 = time.perf_counter()
    records = sum(counts.records.values())
    print("simpy tenants=%d subscriptions=%d records=%d sim_seconds=%.3f total_seconds=%.3f"
          % (args.tenants, created, records, t2 - t1, t2 - t0))
    print("simpy records: " + " ".join("%s=%d" % kv for kv in sorted(counts.records.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
