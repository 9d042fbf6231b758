// Package fsutil writes files atomically: a reader sees the old content or the new, never a
// mix, and the new content is on disk before the write returns.
package fsutil
