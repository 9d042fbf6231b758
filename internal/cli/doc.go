// Package cli is fargo's command tree. Each command is an options struct and a run function
// with explicit dependencies and writers; flags and environment variables are read here and
// nowhere else.
package cli
