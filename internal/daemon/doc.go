// Package daemon is fargo's composition root: it builds every component of `fargo server` from
// one Config, runs them, and shuts them down in order. It is the only package where concrete
// implementations meet.
package daemon
