package hooksapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/hooksapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
)

func newLambdaEnv(t *testing.T) *apitest.Env {
	t.Helper()
	scope := arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID}
	srv := apitest.Start(t,
		func(st *store.Store) awsproto.Service { return hooksapi.New(st, scope, time.Now).Service() },
		func(st *store.Store) awsproto.Service { return hooksapi.New(st, scope, time.Now).LambdaService() })
	return &apitest.Env{Server: srv}
}

// rest sends a Lambda REST request signed as the SDKs sign it and returns the status, the error
// type and the body.
func rest(t *testing.T, e *apitest.Env, method, path, body string) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.URL+path, bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	e.Sign(t, req, "lambda", []byte(body), time.Now())
	resp, b := apitest.Do(t, req)
	return resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), b
}

func TestLambdaRESTFunctions(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t)
	create := `{"FunctionName":"smoke","Role":"arn:aws:iam::000000000000:role/hook","Code":{"ZipFile":"UEsFBgA="},"Runtime":"provided.al2023",` +
		`"Timeout":60,"Environment":{"Variables":{"FARGO_HOOK_URL":"http://127.0.0.1:8090/"}}}`
	if status, code, b := rest(t, e, http.MethodPost, "/2015-03-31/functions", create); status != http.StatusOK {
		t.Fatalf("create-function: %d %s %s", status, code, b)
	}
	status, _, b := rest(t, e, http.MethodGet, "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Asmoke", "")
	var got struct {
		Configuration struct {
			FunctionArn string
			Timeout     int
			Environment struct{ Variables map[string]string }
		}
	}
	if err := json.Unmarshal(b, &got); err != nil || status != http.StatusOK ||
		got.Configuration.FunctionArn != "arn:aws:lambda:us-east-1:000000000000:function:smoke" || got.Configuration.Timeout != 60 ||
		got.Configuration.Environment.Variables[hooksapi.URLVariable] != "http://127.0.0.1:8090/" {
		t.Fatalf("get-function by ARN: %d %s", status, b)
	}
	if status, code, b := rest(t, e, http.MethodPut, "/2015-03-31/functions/smoke/configuration", `{"Timeout":30}`); status != http.StatusOK {
		t.Fatalf("update-function-configuration: %d %s %s", status, code, b)
	}
	status, _, b = rest(t, e, http.MethodGet, "/2015-03-31/functions/?MaxItems=50", "")
	var list struct {
		Functions []struct{ FunctionName string }
	}
	if err := json.Unmarshal(b, &list); err != nil || status != http.StatusOK || len(list.Functions) != 1 || list.Functions[0].FunctionName != "smoke" {
		t.Fatalf("list-functions: %d %s", status, b)
	}
	if status, code, _ := rest(t, e, http.MethodDelete, "/2015-03-31/functions/smoke", ""); status != http.StatusOK {
		t.Fatalf("delete-function: %d %s", status, code)
	}
	if status, code, _ := rest(t, e, http.MethodGet, "/2015-03-31/functions/smoke", ""); status != http.StatusNotFound || code != "ResourceNotFoundException" {
		t.Fatalf("get-function after delete: %d %s", status, code)
	}
}

func TestLambdaRESTErrors(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t)
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"create without a URL", http.MethodPost, "/2015-03-31/functions", `{"FunctionName":"f","Role":"r","Code":{}}`, http.StatusBadRequest, "InvalidParameterValueException"},
		{"create with a bad body", http.MethodPost, "/2015-03-31/functions", `{"FunctionName":`, http.StatusBadRequest, "InvalidRequestContentException"},
		{"unknown route", http.MethodPost, "/2015-03-31/functions/f/invocations", `{}`, http.StatusNotFound, "UnknownOperationException"},
		{"delete a missing one", http.MethodDelete, "/2015-03-31/functions/ghost", "", http.StatusNotFound, "ResourceNotFoundException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, code, b := rest(t, e, tt.method, tt.path, tt.body); status != tt.status || code != tt.code {
				t.Fatalf("%d %s (%s), want %d %s", status, code, b, tt.status, tt.code)
			}
		})
	}
	// An unsigned call is refused before anything runs.
	resp, err := http.Get(e.URL + "/2015-03-31/functions/")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("unsigned list-functions: %d", resp.StatusCode)
	}
}
