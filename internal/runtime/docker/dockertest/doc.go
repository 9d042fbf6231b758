// Package dockertest helps tests that need a Docker engine: it skips them, visibly, where no
// engine answers, and builds images FROM scratch around static Go binaries, so that no test
// pulls from a registry.
package dockertest
