package iamapi

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/tagset"
)

// list is a list member of a response; see awsproto.XMLList.
type list[T any] = awsproto.XMLList[T]

// emptyOutput is the result of operations without output members: <OpResult/>.
type emptyOutput struct{}

// timestamp formats t as IAM does: ISO 8601 in UTC, whole seconds.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// encodeDocument percent-encodes a policy document as IAM answers documents (RFC 3986: all
// but unreserved characters); the aws CLI decodes it, SDK users call url.QueryUnescape.
func encodeDocument(doc string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(doc) * 2)
	for i := range len(doc) {
		c := doc[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

type wireTag struct {
	Key   *string `query:"Key" xml:"Key"`
	Value *string `query:"Value" xml:"Value"`
}

func tagsFromWire(in []wireTag) ([]tagset.Tag, error) {
	out := make([]tagset.Tag, 0, len(in))
	for _, t := range in {
		if t.Key == nil || t.Value == nil {
			return nil, errdefs.InvalidArgument("1 validation error detected: Value null at 'tags.member.key' failed to satisfy constraint: Member must not be null")
		}
		out = append(out, tagset.Tag{Key: *t.Key, Value: *t.Value})
	}
	return out, nil
}

func tagsToWire(in []tagset.Tag) list[wireTag] {
	out := make(list[wireTag], 0, len(in))
	for _, t := range in {
		out = append(out, wireTag{Key: ptr(t.Key), Value: ptr(t.Value)})
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// required returns the value of a required member, or a validation error naming it.
func required(p *string, name string) (string, error) {
	if p == nil {
		return "", errdefs.InvalidArgument("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", name)
	}
	return *p, nil
}

// truncation are the pagination members of IAM's list results.
type truncation struct {
	IsTruncated bool    `xml:"IsTruncated"`
	Marker      *string `xml:"Marker,omitempty"`
}

// defaultMaxItems is the page size of a request that names none, as IAM's.
const defaultMaxItems = 100

// pages are IAM's pagination rules: MaxItems from 1 to 1000, markers that IAM issued.
var pages = awsproto.Pages{
	Max: 1000,
	SizeError: func(size int32, limit int) error {
		if size < 1 {
			return errdefs.InvalidArgument("1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1", size)
		}
		return errdefs.InvalidArgument("1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to %d", size, limit)
	},
	TokenError: func(string) error { return errdefs.InvalidArgument("Invalid Marker.") },
}

// markerPage returns the page of items (sorted by key, keys unique) that marker and maxItems
// ask for, and the result's pagination members.
func markerPage[T any](items []T, key func(T) string, marker *string, maxItems *int32) ([]T, truncation, error) {
	page, next, err := awsproto.Paginate(pages, items, awsproto.ByKey(key), marker, maxItems, defaultMaxItems)
	if err != nil {
		return nil, truncation{}, err
	}
	return page, truncation{IsTruncated: next != nil, Marker: next}, nil
}

// pathPrefix reports whether path starts with prefix ("" or nil: every path).
func pathPrefix(path string, prefix *string) bool {
	return prefix == nil || strings.HasPrefix(path, *prefix)
}

// listByPath returns the page of coll's objects whose path (of path) starts with prefix, in
// key order, converted by conv.
func listByPath[T, W any](ctx context.Context, coll store.Collection[T], path func(T) string, prefix, marker *string, maxItems *int32, conv func(T) W) (list[W], truncation, error) {
	items, _, err := coll.List(ctx, "")
	if err != nil {
		return nil, truncation{}, err
	}
	items = slices.DeleteFunc(items, func(it store.Item[T]) bool { return !pathPrefix(path(it.Value), prefix) })
	page, tr, err := markerPage(items, itemID, marker, maxItems)
	if err != nil {
		return nil, truncation{}, err
	}
	out := make(list[W], 0, len(page))
	for _, it := range page {
		out = append(out, conv(it.Value))
	}
	return out, tr, nil
}

func itemID[T any](it store.Item[T]) string { return it.ID }

// createNamed stores v, named name, in coll; a name taken (in any case) is answered with
// exists(name), IAM's EntityAlreadyExists of the kind.
func createNamed[T any](ctx context.Context, coll store.Collection[T], name string, v T, exists func(string) error) error {
	_, err := coll.Create(ctx, iam.Key(name), v)
	if errors.Is(err, errdefs.ErrAlreadyExists) {
		return exists(name)
	}
	return err
}

// removeAt deletes it, provided nobody wrote it since it was read.
func removeAt[T any](ctx context.Context, st *store.Store, coll store.Collection[T], it store.Item[T]) error {
	var txn store.Txn
	coll.Remove(&txn, it.ID, it.Revision)
	_, err := st.Commit(ctx, &txn)
	return err
}
