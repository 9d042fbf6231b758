// Package fake is an in-memory runtime driver for tests of the agent and the controllers, and
// for benchmarks: containers are records whose behaviour a Script sets (run until stopped, exit
// after a while with a code, fail to start, turn unhealthy, ignore SIGTERM for a while, listen
// on their ports). Time-driven behaviour is computed from the clock when asked, so a container
// costs no goroutine and no timer, and tests can run the driver under testing/synctest.
//
// Drivers that share a State see the same containers, the way a restarted fargo re-adopts the
// containers of the previous process.
package fake
