// Package benchtest reports the figures of benchmarks that measure whole operations (a
// server's start, a deployment, a convergence) as medians over the benchmark's iterations,
// which is what docs/benchmarks.md quotes. Import it only from tests.
package benchtest
