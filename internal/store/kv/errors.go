package kv

import "github.com/fargohq/fargo/internal/errdefs"

// ErrCompacted is sent on a watch that asked for a revision the store no longer keeps. The
// watcher must List again and watch from the revision of that List.
var ErrCompacted = errdefs.Unavailable("kv: required revision has been compacted")
