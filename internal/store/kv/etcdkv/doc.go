// Package etcdkv implements kv.KV over an etcd v3 client: the durable store fargo runs on,
// usually against the member of package embedetcd.
//
// The mapping is direct: a kv revision is an etcd revision, a Cond is a comparison of a key's
// mod revision (0 for an absent key), and a watch is an etcd prefix watch split into one
// response per revision. etcd's request rules apply (see kvtest) and so does its size limit, by
// default 1.5 MiB per request; requests breaking them fail with errdefs.ErrInvalidArgument.
package etcdkv
