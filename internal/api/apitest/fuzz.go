package apitest

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"sort"
	"testing"

	"github.com/fargohq/fargo/internal/api/awsproto"
)

// Operations returns the names of svc's operations, sorted.
func Operations(svc awsproto.Service) []string {
	ops := make([]string, 0, len(svc.Operations))
	for op := range svc.Operations {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	return ops
}

// NoFault fails t if err, what op of svc returned for body, is a server fault (5xx): bad
// input must be a client error.
func NoFault(t testing.TB, svc awsproto.Service, op string, body []byte, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var aerr *awsproto.Error
	if !errors.As(err, &aerr) {
		aerr = svc.ErrorFor(op, err)
	}
	if aerr.Fault() {
		t.Fatalf("%s(%s) = %v: a server fault", op, body, err)
	}
}

// Call is a body for the operation named Op: a fuzz seed, or a step that builds the state
// every fuzz input starts from. A body is JSON for a JSON service and a form (a=1&b=2) for a
// Query service.
type Call struct {
	Op   string
	Body string
}

// FuzzJSON fuzzes a JSON service; see fuzzOperations.
func FuzzJSON(f *testing.F, newService func(testing.TB) awsproto.Service, setup, seeds []Call) {
	fuzzOperations(f, newService, setup, seeds, func(body []byte) (awsproto.Request, bool) {
		return awsproto.Request{Body: body}, true
	})
}

// FuzzQuery fuzzes a Query service, whose bodies are forms; see fuzzOperations. A body that
// is no form is skipped: the front door answers MalformedQueryString before any operation runs.
func FuzzQuery(f *testing.F, newService func(testing.TB) awsproto.Service, setup, seeds []Call) {
	fuzzOperations(f, newService, setup, seeds, func(body []byte) (awsproto.Request, bool) {
		form, err := url.ParseQuery(string(body))
		return awsproto.Request{Form: form}, err == nil
	})
}

// fuzzOperations sends arbitrary bodies to the operations of a service, as the root user. No
// input may panic or give a server fault (5xx): bad input must be a client error.
//
// An input is an operation's name and a body. Each seed reaches the operation it names, and
// every operation without a seed gets an empty body as its seed; an input whose name is no
// operation of the service is skipped. Each input runs against a service of its own, built
// by newService and brought to the same state by the setup calls, so that a finding is
// reproduced by its input alone, whatever ran before it.
func fuzzOperations(f *testing.F, newService func(testing.TB) awsproto.Service, setup, seeds []Call,
	request func(body []byte) (awsproto.Request, bool)) {
	f.Helper()
	ops := Operations(newService(f))
	seeded := map[string]bool{}
	for _, s := range slices.Concat(setup, seeds) {
		if _, ok := request([]byte(s.Body)); !ok || !contains(ops, s.Op) {
			f.Fatalf("%s(%s): no operation of the service, or a body it cannot read", s.Op, s.Body)
		}
	}
	for _, s := range seeds {
		f.Add(s.Op, []byte(s.Body))
		seeded[s.Op] = true
	}
	for _, op := range ops {
		if !seeded[op] {
			f.Add(op, []byte{})
		}
	}
	ctx := awsproto.WithCaller(context.Background(), awsproto.Caller{ARN: "arn:aws:iam::" + AccountID + ":root"})
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		if !contains(ops, op) {
			return
		}
		req, ok := request(body)
		if !ok {
			return
		}
		svc := newService(t)
		for _, s := range setup {
			step, _ := request([]byte(s.Body))
			if _, err := svc.Operations[s.Op](ctx, step); err != nil {
				t.Fatalf("setup %s(%s): %v", s.Op, s.Body, err)
			}
		}
		_, err := svc.Operations[op](ctx, req)
		NoFault(t, svc, op, body, err)
	})
}

func contains(sorted []string, s string) bool {
	i := sort.SearchStrings(sorted, s)
	return i < len(sorted) && sorted[i] == s
}
