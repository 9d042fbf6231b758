// Package e2e holds black-box tests of the built fargo binary, driven by the real aws CLI. They
// run when FARGO_E2E is 1, true, yes or on (scripts/test and CI set it); any value other than
// those and 0, false, no or off fails the package instead of skipping it.
package e2e
