#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H

/// Whether this platform counts allocations (glibc: malloc and friends are wrapped).
int allocation_counter_available(void);

/// Starts counting heap allocations made by every thread of the process.
void allocation_counter_start(void);

/// Stops counting; returns how many allocations all threads made since start.
long allocation_counter_stop(void);

/// The largest single allocation (bytes) the calling thread made between start and stop.
long allocation_counter_largest(void);

#endif
