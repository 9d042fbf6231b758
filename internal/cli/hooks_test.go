package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/hooksapi"
	"github.com/fargohq/fargo/internal/api/logsapi/logsapitest"
	"github.com/fargohq/fargo/internal/store"
)

func TestHooksCommands(t *testing.T) {
	t.Parallel()
	env := logsapitest.New(t, func(st *store.Store) awsproto.Service { return hooksapi.New(st, testScope, time.Now).Service() })
	c, err := newHooksClient(env.AWS)
	if err != nil {
		t.Fatal(err)
	}
	ctx := logsapitest.Context(t)
	var out bytes.Buffer
	if err := runHooksPut(ctx, c, hookFunction{FunctionName: "smoke", URL: "http://127.0.0.1:9000/hook"}, &out); err != nil {
		t.Fatal(err)
	}
	// put again changes the function.
	if err := runHooksPut(ctx, c, hookFunction{FunctionName: "smoke", URL: "http://127.0.0.1:9001/hook", Timeout: 90}, &out); err != nil {
		t.Fatal(err)
	}
	if want := "arn:aws:lambda:us-east-1:000000000000:function:smoke → http://127.0.0.1:9001/hook\n"; !strings.HasSuffix(out.String(), want) {
		t.Fatalf("put printed %q, want it to end with %q", out.String(), want)
	}
	out.Reset()
	if err := runHooksList(ctx, c, "table", &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "smoke") || !strings.Contains(out.String(), "1m30s") {
		t.Fatalf("list printed\n%s", out.String())
	}
	err = runHooksPut(ctx, c, hookFunction{FunctionName: "bad", URL: "/relative"}, &out)
	var apiErr *hooksAPIError
	if !errors.As(err, &apiErr) || apiErr.Code != "InvalidParameterValueException" {
		t.Fatalf("put of a relative URL: %v", err)
	}
	if err := c.call(ctx, "DeleteFunction", hookFunction{FunctionName: "smoke"}, nil); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := runHooksList(ctx, c, "json", &out); err != nil || !strings.Contains(out.String(), `"Functions": []`) {
		t.Fatalf("list after delete: %q %v", out.String(), err)
	}
}
