#!/usr/bin/env python3
"""Where Oasis' CPU goes, by library, from a JFR recording of a bench run.

    OASIS_JAVA_OPTS="-Xms1g -Xmx1g -XX:StartFlightRecording=filename=/tmp/oasis.jfr,settings=profile" \\
      RATES=1000 DURATION=30 bench/run
    jfr print --events jdk.ExecutionSample /tmp/oasis.jfr > /tmp/samples.txt
    bench/jfr-share.py /tmp/samples.txt 32        # the last 32 s: the measured step

Each execution sample goes to the first frame from the top of its stack that is not the JDK's: a sample in
HashMap.get called by Micrometer counts for Micrometer. Prints each share of the samples in the window.

    jfr print --stack-depth 80 --events jdk.ExecutionSample /tmp/oasis.jfr > /tmp/samples.txt
    bench/jfr-share.py /tmp/samples.txt 120 --within DispatcherServlet.doDispatch AsyncContextImpl com.fasterxml.jackson

With --within, each given text is counted for every sample with a frame containing it anywhere in its stack (the
share of the time spent in or under it; the shares overlap). Print deep stacks for that, as above: jfr cuts them to
5 frames by default. The profile with the shipped JVM flags (docs/performance.md) took 10 ms samples: a copy of the
JDK's default.jfc with jdk.ExecutionSample's period set to 10 ms, given as settings=<file> to StartFlightRecording.
"""
import collections
import re
import sys

CATEGORIES = [
    ('OpenTelemetry', 'io.opentelemetry'),
    ('camel-micrometer', 'org.apache.camel.component.micrometer'),
    ('Micrometer', 'io.micrometer'),
    ('request log', 'io.oasis.observe.RequestOutcome'),
    ('Oasis tracing and metrics', 'io.oasis.observe'),
    ('logback', 'ch.qos.logback'),
    ('Spring HTTP observation', 'org.springframework.web.filter.ServerHttpObservationFilter'),
]
JDK = ('java.', 'jdk.', 'sun.', 'com.sun.')


def seconds(stamp):
    h, m, s = stamp.split(':')
    return int(h) * 3600 + int(m) * 60 + float(s)


def main(path, window, within):
    events = open(path).read().split('jdk.ExecutionSample')[1:]
    stamped = [(seconds(re.search(r'startTime = (\S+)', e).group(1)), e) for e in events]
    end = max(t for t, _ in stamped)
    if within:
        inside = [e for t, e in stamped if t >= end - window]
        print(f'{len(inside)} samples in the last {window:g} s')
        for text in within:
            n = sum(1 for e in inside if any(text in f for f in re.findall(r'^\s+([\w.$<>]+)\(', e, re.M)))
            print(f'{100 * n / len(inside):5.1f} %  within {text}')
        return
    shares = collections.Counter()
    for t, event in stamped:
        if t < end - window:
            continue
        owner = 'everything else'
        for frame in re.findall(r'^\s+([\w.$<>]+)\(', event, re.M):
            if frame.startswith(JDK):
                continue
            owner = next((name for name, prefix in CATEGORIES if frame.startswith(prefix)), 'everything else')
            break
        shares[owner] += 1
    total = sum(shares.values())
    print(f'{total} samples in the last {window:g} s')
    for name, n in shares.most_common():
        print(f'{100 * n / total:5.1f} %  {name}')


if __name__ == '__main__':
    args = sys.argv[1:]
    within = args[args.index('--within') + 1:] if '--within' in args else []
    args = args[:args.index('--within')] if '--within' in args else args
    main(args[0], float(args[1]) if len(args) > 1 else 30, within)
