package tagset

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/errdefs"
)

var errDuplicate = errors.New("duplicate")

func TestValidate(t *testing.T) {
	t.Parallel()
	m := Messages{KeyLength: "key", ValueLength: "value", Reserved: "reserved", Duplicate: func(string) error { return errDuplicate }}
	tests := []struct {
		name string
		tags []Tag
		want string // the message, "" for valid
	}{
		{"none", nil, ""},
		{"valid", []Tag{{Key: "env", Value: "prod"}, {Key: strings.Repeat("k", 128), Value: strings.Repeat("v", 256)}}, ""},
		{"empty key", []Tag{{Key: ""}}, "key"},
		{"long key", []Tag{{Key: strings.Repeat("k", 129)}}, "key"},
		{"long value", []Tag{{Key: "k", Value: strings.Repeat("v", 257)}}, "value"},
		{"reserved in any case", []Tag{{Key: "AWS:x"}}, "reserved"},
		{"duplicate", []Tag{{Key: "k"}, {Key: "k"}}, "duplicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Validate(tt.tags, m)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tt.want == "duplicate" && !errors.Is(err, errDuplicate):
				t.Fatalf("Validate: %v, want the duplicate error", err)
			case tt.want != "" && tt.want != "duplicate" && (!errors.Is(err, errdefs.ErrInvalidArgument) || err.Error() != tt.want):
				t.Fatalf("Validate: %v, want invalid argument %q", err, tt.want)
			}
		})
	}
}

func TestMergeAndRemove(t *testing.T) {
	t.Parallel()
	tags := []Tag{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}
	merged := Merge(tags, []Tag{{Key: "c", Value: "3"}, {Key: "a", Value: "9"}})
	if want := []Tag{{Key: "a", Value: "9"}, {Key: "b", Value: "2"}, {Key: "c", Value: "3"}}; !slices.Equal(merged, want) {
		t.Fatalf("Merge = %v, want %v", merged, want)
	}
	if tags[0].Value != "1" {
		t.Fatalf("Merge changed its input: %v", tags)
	}
	if got, want := Remove(merged, []string{"b", "missing"}), []Tag{{Key: "a", Value: "9"}, {Key: "c", Value: "3"}}; !slices.Equal(got, want) {
		t.Fatalf("Remove = %v, want %v", got, want)
	}
}

func TestMap(t *testing.T) {
	t.Parallel()
	if Map(nil) != nil {
		t.Error("Map(nil) is not nil")
	}
	if got := Map([]Tag{{Key: "team", Value: "web"}, {Key: "env", Value: ""}}); len(got) != 2 || got["team"] != "web" || got["env"] != "" {
		t.Errorf("Map = %v", got)
	}
}
