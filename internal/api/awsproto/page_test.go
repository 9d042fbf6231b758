package awsproto_test

import (
	"encoding/base64"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/awsproto"
)

func TestPaginate(t *testing.T) {
	t.Parallel()
	lenient := awsproto.Pages{
		Max:          3,
		SizeError:    func(size int32, limit int) error { return fmt.Errorf("size %d outside 1..%d", size, limit) },
		TokenError:   func(token string) error { return fmt.Errorf("token %q", token) },
		EmptyIsFirst: true,
	}
	strict := lenient
	strict.EmptyIsFirst = false
	// tok is the token of a position.
	tok := func(pos string) *string { s := base64.RawURLEncoding.EncodeToString([]byte(pos)); return &s }
	str := func(s string) *string { return &s }
	size := func(n int32) *int32 { return &n }
	abcd := []string{"a", "b", "c", "d"}
	byKey, byOffset := awsproto.ByString(), awsproto.ByOffset[string]()
	tests := []struct {
		name     string
		pages    awsproto.Pages
		cursor   awsproto.Cursor[string]
		items    []string
		token    *string
		size     *int32
		def      int
		want     []string
		wantNext *string
		wantErr  string
	}{
		{name: "first page by key", pages: lenient, cursor: byKey, items: abcd, def: 2, want: []string{"a", "b"}, wantNext: str("Yg")},
		{name: "last page by key", pages: lenient, cursor: byKey, items: abcd, token: str("Yg"), def: 2, want: []string{"c", "d"}},
		{name: "key removed since", pages: lenient, cursor: byKey, items: []string{"a", "c", "d"}, token: tok("b"), def: 1, want: []string{"c"}, wantNext: tok("c")},
		{name: "key past the end", pages: lenient, cursor: byKey, items: abcd, token: tok("z"), def: 2, want: []string{}},
		{name: "size asked for", pages: lenient, cursor: byKey, items: abcd, size: size(3), def: 1, want: []string{"a", "b", "c"}, wantNext: tok("c")},
		{name: "size 1", pages: lenient, cursor: byKey, items: abcd, token: tok("a"), size: size(1), def: 3, want: []string{"b"}, wantNext: tok("b")},
		{name: "default above max", pages: lenient, cursor: byKey, items: abcd, def: 400, want: abcd},
		{name: "size 0", pages: lenient, cursor: byKey, items: abcd, size: size(0), def: 2, wantErr: "size 0 outside 1..3"},
		{name: "size above max", pages: lenient, cursor: byKey, items: abcd, size: size(4), def: 2, wantErr: "size 4 outside 1..3"},
		{name: "size checked before token", pages: lenient, cursor: byKey, items: abcd, token: str("!!"), size: size(-1), def: 2, wantErr: "size -1 outside 1..3"},
		{name: "empty token is the first page", pages: lenient, cursor: byKey, items: abcd, token: str(""), def: 3, want: []string{"a", "b", "c"}, wantNext: tok("c")},
		{name: "empty token not issued", pages: strict, cursor: byKey, items: abcd, token: str(""), def: 3, wantErr: `token ""`},
		{name: "not base64", pages: lenient, cursor: byKey, items: abcd, token: str("!!"), def: 2, wantErr: `token "!!"`},
		{name: "padded base64", pages: lenient, cursor: byKey, items: abcd, token: str("Yg=="), def: 2, wantErr: `token "Yg=="`},
		{name: "base64 of no key", pages: lenient, cursor: byKey, items: abcd, token: str("\n"), def: 2, wantErr: `token "\n"`},
		{name: "empty list", pages: lenient, cursor: byKey, def: 2, want: []string{}},
		{name: "first page by offset", pages: strict, cursor: byOffset, items: abcd, def: 2, want: []string{"a", "b"}, wantNext: str("by8y")},
		{name: "next page by offset", pages: strict, cursor: byOffset, items: abcd, token: str("by8x"), def: 2, want: []string{"b", "c"}, wantNext: tok("o/3")},
		{name: "offset 0", pages: strict, cursor: byOffset, items: abcd, token: tok("o/0"), size: size(3), def: 1, want: []string{"a", "b", "c"}, wantNext: tok("o/3")},
		{name: "offset past the end", pages: strict, cursor: byOffset, items: abcd, token: tok("o/9"), def: 2, want: []string{}},
		{name: "negative offset", pages: strict, cursor: byOffset, items: abcd, token: tok("o/-1"), def: 2, wantErr: fmt.Sprintf("token %q", *tok("o/-1"))},
		{name: "offset without prefix", pages: strict, cursor: byOffset, items: abcd, token: tok("2"), def: 2, wantErr: fmt.Sprintf("token %q", *tok("2"))},
		{name: "offset not a number", pages: strict, cursor: byOffset, items: abcd, token: tok("o/x"), def: 2, wantErr: fmt.Sprintf("token %q", *tok("o/x"))},
		{name: "a key is no offset", pages: strict, cursor: byOffset, items: abcd, token: tok("b"), def: 2, wantErr: fmt.Sprintf("token %q", *tok("b"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			page, next, err := awsproto.Paginate(tt.pages, tt.items, tt.cursor, tt.token, tt.size, tt.def)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(page, tt.want) {
				t.Errorf("page %q, want %q", page, tt.want)
			}
			if diff := cmp.Diff(tt.wantNext, next); diff != "" {
				t.Errorf("next token (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPaginateWalk pages through lists of every length with every page size, each cursor
// following its own tokens, and checks that the pages put together are the list.
func TestPaginateWalk(t *testing.T) {
	t.Parallel()
	pages := awsproto.Pages{Max: 5, TokenError: func(string) error { return fmt.Errorf("bad token") }}
	keyed := func(s string) string { return "k" + s }
	for _, c := range []struct {
		name   string
		cursor awsproto.Cursor[string]
	}{{"by key", awsproto.ByKey(keyed)}, {"by offset", awsproto.ByOffset[string]()}} {
		for n := range 8 {
			items := make([]string, n)
			for i := range items {
				items[i] = fmt.Sprintf("%02d", i)
			}
			for size := int32(1); size <= 5; size++ {
				var got []string
				var token *string
				for calls := 0; ; calls++ {
					if calls > n {
						t.Fatalf("%s: %d items in pages of %d: no last page after %d calls", c.name, n, size, calls)
					}
					page, next, err := awsproto.Paginate(pages, items, c.cursor, token, &size, 0)
					if err != nil {
						t.Fatalf("%s: %v", c.name, err)
					}
					if len(page) > int(size) {
						t.Fatalf("%s: page of %d, asked for %d", c.name, len(page), size)
					}
					got = append(got, page...)
					if next == nil {
						break
					}
					token = next
				}
				if !slices.Equal(got, items) {
					t.Errorf("%s: %d items in pages of %d: %q", c.name, n, size, got)
				}
			}
		}
	}
}
