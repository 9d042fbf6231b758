package awsproto

import "testing"

func TestMatch(t *testing.T) {
	t.Parallel()
	routes := []Route{
		{Method: "GET", Path: "/2015-03-31/functions", Op: "List"},
		{Method: "GET", Path: "/2015-03-31/functions/{FunctionName}", Op: "Get"},
		{Method: "PUT", Path: "/2015-03-31/functions/{FunctionName}/configuration", Op: "Update"},
	}
	tests := []struct {
		method, path, op, name string
		ok                     bool
	}{
		{"GET", "/2015-03-31/functions/", "List", "", true},
		{"GET", "/2015-03-31/functions", "List", "", true},
		{"GET", "/2015-03-31/functions/smoke", "Get", "smoke", true},
		{"GET", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A0%3Afunction%3Asmoke", "Get", "arn:aws:lambda:us-east-1:0:function:smoke", true},
		{"PUT", "/2015-03-31/functions/smoke/configuration", "Update", "smoke", true},
		{"POST", "/2015-03-31/functions/smoke", "", "", false},
		{"GET", "/2015-03-31/functions/smoke/other", "", "", false},
		{"GET", "/2015-03-31/layers", "", "", false},
	}
	for _, tt := range tests {
		op, params, ok := Match(routes, tt.method, tt.path)
		if ok != tt.ok || op != tt.op || (ok && params.Get("FunctionName") != tt.name) {
			t.Errorf("Match(%s %s) = %q %v %v, want %q %q %v", tt.method, tt.path, op, params, ok, tt.op, tt.name, tt.ok)
		}
	}
	if !RoutesPrefix(routes, "/2015-03-31/functions/x/invocations") || RoutesPrefix(routes, "/2015-03-31/functionsx") || RoutesPrefix(routes, "/v2/") {
		t.Error("RoutesPrefix does not tell the service's URL space")
	}
}
