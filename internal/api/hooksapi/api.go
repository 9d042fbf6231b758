package hooksapi

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/hooks"
	"github.com/fargohq/fargo/internal/store"
)

// TargetPrefix is the X-Amz-Target prefix of the hook functions API.
const TargetPrefix = "FargoHooks_20261207"

// API serves the hook functions API over a store.
type API struct {
	store *store.Store
	scope arn.Scope
	now   func() time.Time
}

// New returns the API over st, naming functions in scope. now is the clock.
func New(st *store.Store, scope arn.Scope, now func() time.Time) *API {
	if now == nil {
		now = time.Now
	}
	return &API{store: st, scope: scope, now: now}
}

// Service describes the API for the front door.
func (a *API) Service() awsproto.Service {
	return awsproto.Service{
		Name:         "lambda",
		SigningName:  "lambda",
		Protocol:     awsproto.ProtocolJSON,
		TargetPrefix: TargetPrefix,
		Operations: map[string]awsproto.Handler{
			"CreateFunction":              awsproto.JSON(a.createFunction),
			"UpdateFunctionConfiguration": awsproto.JSON(a.updateFunctionConfiguration),
			"GetFunction":                 awsproto.JSON(a.getFunction),
			"ListFunctions":               awsproto.JSON(a.listFunctions),
			"DeleteFunction":              awsproto.JSON(a.deleteFunction),
		},
		ErrorFor:    errorFor,
		ClientError: "InvalidParameterValueException",
		Targets:     targets,
	}
}

// functionInput is CreateFunction's and UpdateFunctionConfiguration's input: Lambda's
// member names, with Url, the endpoint fargo invokes, instead of code.
type functionInput struct {
	FunctionName *string `json:"FunctionName"`
	URL          *string `json:"Url"`
	// Timeout is in seconds, as Lambda's.
	Timeout     *int    `json:"Timeout"`
	Description *string `json:"Description"`
}

type functionNameInput struct {
	FunctionName *string `json:"FunctionName"`
}

// FunctionConfiguration is a function as the API reports it.
type FunctionConfiguration struct {
	FunctionName string `json:"FunctionName"`
	FunctionArn  string `json:"FunctionArn"`
	URL          string `json:"Url"`
	Timeout      int    `json:"Timeout,omitempty"`
	Description  string `json:"Description,omitempty"`
	// LastModified is in Lambda's format, ISO 8601 with milliseconds.
	LastModified string `json:"LastModified"`
}

type listFunctionsOutput struct {
	Functions []FunctionConfiguration `json:"Functions"`
}

type emptyOutput struct{}

func (a *API) createFunction(ctx context.Context, in *functionInput) (*FunctionConfiguration, error) {
	f, err := hooks.NewFunction(a.scope, name(in.FunctionName), awsproto.Deref(in.URL), seconds(in.Timeout), awsproto.Deref(in.Description), nil, a.now())
	if err != nil {
		return nil, err
	}
	if _, err := a.store.HookFunctions.Create(ctx, f.Name, f); errors.Is(err, errdefs.ErrAlreadyExists) {
		return nil, errdefs.Detail(errFunctionExists, "Function already exist: %s", f.Name)
	} else if err != nil {
		return nil, err
	}
	return configuration(f), nil
}

// updateFunctionConfiguration changes the members given.
func (a *API) updateFunctionConfiguration(ctx context.Context, in *functionInput) (*FunctionConfiguration, error) {
	n := name(in.FunctionName)
	it, err := a.store.HookFunctions.Update(ctx, n, func(f *hooks.Function) error {
		url, timeout, desc := f.URL, f.Timeout, f.Description
		if in.URL != nil {
			url = *in.URL
		}
		if in.Timeout != nil {
			timeout = seconds(in.Timeout)
		}
		if in.Description != nil {
			desc = *in.Description
		}
		next, err := hooks.NewFunction(a.scope, f.Name, url, timeout, desc, f, a.now())
		*f = next
		return err
	})
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil, notFound(n)
	}
	if err != nil {
		return nil, err
	}
	return configuration(it.Value), nil
}

func (a *API) getFunction(ctx context.Context, in *functionNameInput) (*FunctionConfiguration, error) {
	n := name(in.FunctionName)
	it, err := a.store.HookFunctions.Get(ctx, n)
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil, notFound(n)
	}
	if err != nil {
		return nil, err
	}
	return configuration(it.Value), nil
}

func (a *API) listFunctions(ctx context.Context, _ *struct{}) (*listFunctionsOutput, error) {
	items, _, err := a.store.HookFunctions.List(ctx, "")
	if err != nil {
		return nil, err
	}
	out := &listFunctionsOutput{Functions: []FunctionConfiguration{}}
	for _, it := range items {
		out.Functions = append(out.Functions, *configuration(it.Value))
	}
	slices.SortFunc(out.Functions, func(x, y FunctionConfiguration) int { return strings.Compare(x.FunctionName, y.FunctionName) })
	return out, nil
}

func (a *API) deleteFunction(ctx context.Context, in *functionNameInput) (*emptyOutput, error) {
	n := name(in.FunctionName)
	if _, err := a.store.HookFunctions.Get(ctx, n); errors.Is(err, errdefs.ErrNotFound) {
		return nil, notFound(n)
	} else if err != nil {
		return nil, err
	}
	return &emptyOutput{}, a.store.HookFunctions.Delete(ctx, n)
}

// name is the function name a request gives, by name or ARN (a qualifier is ignored).
func name(s *string) string {
	v := awsproto.Deref(s)
	if ref, err := hooks.ParseTarget(v); err == nil && ref.Function != "" {
		return ref.Function
	}
	return v
}

func seconds(n *int) time.Duration {
	if n == nil {
		return 0
	}
	return time.Duration(*n) * time.Second
}

func configuration(f hooks.Function) *FunctionConfiguration {
	return &FunctionConfiguration{FunctionName: f.Name, FunctionArn: f.ARN, URL: f.URL, Timeout: int(f.Timeout / time.Second),
		Description: f.Description, LastModified: f.UpdatedAt.UTC().Format("2006-01-02T15:04:05.000-0700")}
}

var errFunctionExists = errdefs.AlreadyExists("The function already exists.")

func notFound(n string) error {
	return errdefs.Detail(hooks.ErrFunctionNotFound, "Function not found: %s", n)
}

// errorFor maps errors to Lambda's codes and statuses.
func errorFor(_ string, err error) *awsproto.Error {
	msg := errdefs.Message(err)
	switch {
	case errors.Is(err, errdefs.ErrNotFound):
		return &awsproto.Error{Code: "ResourceNotFoundException", Message: msg, Status: http.StatusNotFound}
	case errors.Is(err, errdefs.ErrAlreadyExists), errors.Is(err, errdefs.ErrConflict):
		return &awsproto.Error{Code: "ResourceConflictException", Message: msg, Status: http.StatusConflict}
	case errors.Is(err, errdefs.ErrInvalidArgument):
		return &awsproto.Error{Code: "InvalidParameterValueException", Message: msg}
	}
	return &awsproto.Error{Code: "ServiceException", Message: "The service encountered an internal error: " + msg, Status: http.StatusInternalServerError}
}

// targets names the function a request names, for its authorization on the function's ARN.
func targets(op string, in awsproto.Input) awsproto.Target {
	var t awsproto.Target
	if op != "ListFunctions" {
		t.Add(name(ptr(in.String("FunctionName"))))
	}
	return t
}

func ptr(s string) *string { return &s }
