//go:build !linux

package cli

import "os/exec"

// setChildAttrs does nothing here: the proxy benchmark reads CPU times from Linux's /proc and
// refuses to run elsewhere.
func setChildAttrs(*exec.Cmd) {}
