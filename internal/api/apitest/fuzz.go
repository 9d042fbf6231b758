package apitest

import (
	"context"
	"errors"
	"sort"
	"testing"

	"github.com/fargohq/fargo/internal/api/awsproto"
)

// Operations returns the names of svc's operations, sorted, for a fuzz target to index.
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

// FuzzJSON sends arbitrary bodies, seeded with seeds, to every operation of a JSON service,
// as the root user. No input may panic or give a server fault.
func FuzzJSON(f *testing.F, svc awsproto.Service, seeds []string) {
	ops := Operations(svc)
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, opIndex uint8, body []byte) {
		op := ops[int(opIndex)%len(ops)]
		ctx := awsproto.WithCaller(context.Background(), awsproto.Caller{ARN: "arn:aws:iam::" + AccountID + ":root"})
		_, err := svc.Operations[op](ctx, awsproto.Request{Body: body})
		NoFault(t, svc, op, body, err)
	})
}
