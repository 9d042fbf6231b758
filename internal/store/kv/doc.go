// Package kv is the small key-value contract the store needs: reads at a revision, atomic
// compare-and-swap transactions, and watches that resume from a revision.
//
// Two implementations exist: etcdkv (durable, the default) and memkv (tests). Both pass the
// conformance suite in kvtest, so the store behaves the same on either.
package kv
