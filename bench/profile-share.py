#!/usr/bin/env python3
"""Where Oasis' CPU goes, kernel included, from async-profiler's collapsed stacks (PROFILE=cpu bench/run writes them).

    bench/profile-share.py bench/results/<stamp>/profile-1000.collapsed
    bench/profile-share.py <file> --within MulticastProcessor com/fasterxml/jackson

Unlike JFR's execution samples (Java frames of threads running Java code), async-profiler's cpu samples are the CPU
time of every thread, in the JVM, in native code and in the kernel: thread hand-offs (a park, an unpark, the context
switch between) and system calls show up as what they cost. Prints the share of samples spent in the kernel, in
hand-offs and under a few parts of the request path, then the system calls by the Java method that made them.
With --within, the share of samples with a frame containing each given text anywhere in the stack (shares overlap).
"""
import collections
import sys

PARTS = [
    ('kernel (system calls, scheduling, network stack)', '_[k]'),
    ('thread hand-offs: LockSupport.park / unpark', 'java/util/concurrent/locks/LockSupport.'),
    ('upstream calls (Apache HttpClient 5, its I/O reactors)', 'org/apache/hc/'),
    ('Tomcat', 'org/apache/tomcat/'),
    ('Camel routing', 'org/apache/camel/'),
    ('Jackson', 'com/fasterxml/jackson/'),
    ('request log and other logging (logback)', 'ch/qos/logback/'),
    ('Micrometer', 'io/micrometer/'),
    ('OpenTelemetry', 'io/opentelemetry/'),
    ('garbage collection (Serial: in the VM thread)', 'CollectedHeap'),
    ('JIT compilers', 'CompileBroker'),
]


def read(path):
    stacks = []
    for line in open(path):
        line = line.rstrip()
        if not line:
            continue
        frames, count = line.rsplit(' ', 1)
        stacks.append((frames.split(';'), int(count)))
    return stacks


def share(stacks, total, text):
    return 100 * sum(n for frames, n in stacks if any(text in f for f in frames)) / total


def syscalls_by_caller(stacks, total, top=12):
    """Kernel time by the last Java (or JVM) frame before it: who pays for which system call."""
    callers = collections.Counter()
    for frames, n in stacks:
        first_kernel = next((i for i, f in enumerate(frames) if f.endswith('_[k]')), None)
        if first_kernel is None:
            continue
        java = next((f for f in reversed(frames[:first_kernel]) if '/' in f), '(no Java frame)')
        call = next((f[:-4] for f in frames[first_kernel:] if f.startswith(('__x64_sys_', 'ksys_', 'vfs_'))),
                    frames[first_kernel][:-4])
        callers[f'{java}  ->  {call}'] += n
    for caller, n in callers.most_common(top):
        print(f'{100 * n / total:5.1f} %  {caller}')


def main(args):
    within = args[args.index('--within') + 1:] if '--within' in args else []
    stacks = read(args[0])
    total = sum(n for _, n in stacks)
    print(f'{total} samples')
    if within:
        for text in within:
            print(f'{share(stacks, total, text):5.1f} %  within {text}')
        return
    for name, text in PARTS:
        print(f'{share(stacks, total, text):5.1f} %  {name}')
    print('\nkernel time by the Java method that entered it:')
    syscalls_by_caller(stacks, total)


if __name__ == '__main__':
    main(sys.argv[1:])
