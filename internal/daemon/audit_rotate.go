package daemon

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// auditLimits bound the audit log on disk: once audit.log reaches MaxBytes it becomes
// audit.log.1, the older ones move up (audit.log.2, ...) and the oldest beyond Keep is
// removed. The zero value has the defaults: 64 MiB and 4 rotated files, 320 MiB at most.
type auditLimits struct {
	MaxBytes int64
	Keep     int
}

func (l auditLimits) withDefaults() auditLimits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = 64 << 20
	}
	if l.Keep <= 0 {
		l.Keep = 4
	}
	return l
}

// rotate closes the current file (flushed and synced by the caller), shifts the rotated
// files by one, dropping the oldest, and opens a new audit.log.
func (a *auditLog) rotate() error {
	if err := a.f.Close(); err != nil {
		return fmt.Errorf("close audit log: %w", err)
	}
	for i := a.limits.Keep - 1; i >= 1; i-- {
		err := os.Rename(rotatedName(a.path, i), rotatedName(a.path, i+1))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return errors.Join(err, a.open())
		}
	}
	if err := os.Rename(a.path, rotatedName(a.path, 1)); err != nil {
		return errors.Join(err, a.open())
	}
	return a.open()
}

func rotatedName(path string, i int) string { return path + "." + strconv.Itoa(i) }

// auditFiles returns the audit log's files, oldest first: audit.log.N ... audit.log.1, then
// audit.log itself.
func auditFiles(path string) []string {
	matches, _ := filepath.Glob(path + ".*")
	type rotated struct {
		path string
		n    int
	}
	var files []rotated
	for _, m := range matches {
		n, err := strconv.Atoi(strings.TrimPrefix(m, path+"."))
		if err == nil && n > 0 {
			files = append(files, rotated{m, n})
		}
	}
	slices.SortFunc(files, func(a, b rotated) int { return b.n - a.n })
	out := make([]string, 0, len(files)+1)
	for _, f := range files {
		out = append(out, f.path)
	}
	return append(out, path)
}
