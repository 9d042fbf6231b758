// Package e2e holds black-box tests of the built fargo binary, driven by the real aws CLI. They
// run when FARGO_E2E=1 (scripts/test and CI set it).
package e2e
