package hooksapi

import (
	"context"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
)

// URLVariable is the environment variable of a function created through the Lambda API that
// holds its URL: Lambda's CreateFunction has no member for an endpoint.
const URLVariable = "FARGO_HOOK_URL"

// LambdaService describes the same functions as Service through Lambda's own REST protocol
// (paths under /2015-03-31/functions), so that `aws lambda list-functions`, get-function,
// create-function, update-function-configuration and delete-function, and the SDKs, work on
// them. A function's URL is its environment variable FARGO_HOOK_URL.
func (a *API) LambdaService() awsproto.Service {
	return awsproto.Service{
		Name:        "lambda",
		SigningName: "lambda",
		Protocol:    awsproto.ProtocolREST,
		Routes: []awsproto.Route{
			{Method: "POST", Path: "/2015-03-31/functions", Op: "CreateFunction"},
			{Method: "GET", Path: "/2015-03-31/functions", Op: "ListFunctions"},
			{Method: "GET", Path: "/2015-03-31/functions/{FunctionName}", Op: "GetFunction"},
			{Method: "PUT", Path: "/2015-03-31/functions/{FunctionName}/configuration", Op: "UpdateFunctionConfiguration"},
			{Method: "DELETE", Path: "/2015-03-31/functions/{FunctionName}", Op: "DeleteFunction"},
		},
		Operations: map[string]awsproto.Handler{
			"CreateFunction":              a.lambdaCreateFunction,
			"ListFunctions":               a.lambdaListFunctions,
			"GetFunction":                 a.lambdaGetFunction,
			"UpdateFunctionConfiguration": a.lambdaUpdateFunctionConfiguration,
			"DeleteFunction":              a.lambdaDeleteFunction,
		},
		ErrorFor:    errorFor,
		ClientError: "InvalidParameterValueException",
		Targets:     targets,
	}
}

// lambdaFunctionInput holds the members of Lambda's CreateFunction and
// UpdateFunctionConfiguration that fargo uses; Role, Code, Runtime and the others are
// accepted and ignored, as fargo runs no code of its own.
type lambdaFunctionInput struct {
	FunctionName *string            `json:"FunctionName"`
	Description  *string            `json:"Description"`
	Timeout      *int               `json:"Timeout"`
	Environment  *lambdaEnvironment `json:"Environment"`
}

type lambdaEnvironment struct {
	Variables map[string]string `json:"Variables"`
}

// lambdaConfiguration is Lambda's FunctionConfiguration with the members fargo has.
type lambdaConfiguration struct {
	FunctionName     string            `json:"FunctionName"`
	FunctionArn      string            `json:"FunctionArn"`
	Description      string            `json:"Description"`
	Timeout          int               `json:"Timeout,omitempty"`
	LastModified     string            `json:"LastModified"`
	Environment      lambdaEnvironment `json:"Environment"`
	Version          string            `json:"Version"`
	State            string            `json:"State"`
	LastUpdateStatus string            `json:"LastUpdateStatus"`
}

func lambdaShape(f *FunctionConfiguration) lambdaConfiguration {
	return lambdaConfiguration{FunctionName: f.FunctionName, FunctionArn: f.FunctionArn, Description: f.Description,
		Timeout: f.Timeout, LastModified: f.LastModified, Environment: lambdaEnvironment{Variables: map[string]string{URLVariable: f.URL}},
		Version: "$LATEST", State: "Active", LastUpdateStatus: "Successful"}
}

// functionInput is in as the JSON API takes it, for the function name.
func (in *lambdaFunctionInput) functionInput(name *string) *functionInput {
	out := &functionInput{FunctionName: in.FunctionName, Timeout: in.Timeout, Description: in.Description}
	if name != nil {
		out.FunctionName = name
	}
	if in.Environment != nil {
		if u, ok := in.Environment.Variables[URLVariable]; ok {
			out.URL = &u
		}
	}
	return out
}

func decodeLambda(req awsproto.Request) (*lambdaFunctionInput, error) {
	in := &lambdaFunctionInput{}
	if len(req.Body) == 0 {
		return in, nil
	}
	if err := awsproto.DecodeJSON(req.Body, in); err != nil {
		// Lambda's word for a body that is not the operation's JSON.
		return nil, &awsproto.Error{Code: "InvalidRequestContentException", Message: "The request body could not be parsed as JSON: " + errdefs.Message(err)}
	}
	return in, nil
}

func pathName(req awsproto.Request) *string {
	if req.Form == nil || req.Form.Get("FunctionName") == "" {
		return nil
	}
	n := req.Form.Get("FunctionName")
	return &n
}

func (a *API) lambdaCreateFunction(ctx context.Context, req awsproto.Request) (any, error) {
	in, err := decodeLambda(req)
	if err != nil {
		return nil, err
	}
	f := in.functionInput(nil)
	if f.URL == nil {
		return nil, errdefs.InvalidArgument("Give the function's HTTP(S) endpoint as its environment variable %s: fargo invokes it instead of code.", URLVariable)
	}
	out, err := a.createFunction(ctx, f)
	if err != nil {
		return nil, err
	}
	return lambdaShape(out), nil
}

func (a *API) lambdaUpdateFunctionConfiguration(ctx context.Context, req awsproto.Request) (any, error) {
	in, err := decodeLambda(req)
	if err != nil {
		return nil, err
	}
	out, err := a.updateFunctionConfiguration(ctx, in.functionInput(pathName(req)))
	if err != nil {
		return nil, err
	}
	return lambdaShape(out), nil
}

func (a *API) lambdaGetFunction(ctx context.Context, req awsproto.Request) (any, error) {
	out, err := a.getFunction(ctx, &functionNameInput{FunctionName: pathName(req)})
	if err != nil {
		return nil, err
	}
	return struct {
		Configuration lambdaConfiguration `json:"Configuration"`
	}{lambdaShape(out)}, nil
}

func (a *API) lambdaListFunctions(ctx context.Context, _ awsproto.Request) (any, error) {
	out, err := a.listFunctions(ctx, nil)
	if err != nil {
		return nil, err
	}
	list := struct {
		Functions []lambdaConfiguration `json:"Functions"`
	}{Functions: []lambdaConfiguration{}}
	for i := range out.Functions {
		list.Functions = append(list.Functions, lambdaShape(&out.Functions[i]))
	}
	return list, nil
}

func (a *API) lambdaDeleteFunction(ctx context.Context, req awsproto.Request) (any, error) {
	return a.deleteFunction(ctx, &functionNameInput{FunctionName: pathName(req)})
}
