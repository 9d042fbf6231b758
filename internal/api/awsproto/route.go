package awsproto

import (
	"net/url"
	"strings"
)

// Route is one operation of a REST service: a method and a path pattern of literal segments
// and {Member} segments, whose values the operation finds in Request.Form.
type Route struct {
	Method string
	Path   string
	Op     string
}

// Match finds the route of method and path among routes, with the values of the path's
// members; a trailing '/' is ignored, as the SDKs send some paths with one.
func Match(routes []Route, method, path string) (string, url.Values, bool) {
	got := strings.Split(strings.TrimSuffix(path, "/"), "/")
	for _, r := range routes {
		want := strings.Split(r.Path, "/")
		if r.Method != method || len(want) != len(got) {
			continue
		}
		params := url.Values{}
		for i, seg := range want {
			if name, ok := strings.CutPrefix(seg, "{"); ok {
				v, err := url.PathUnescape(got[i])
				if err != nil || v == "" {
					params = nil
					break
				}
				params.Set(strings.TrimSuffix(name, "}"), v)
			} else if seg != got[i] {
				params = nil
				break
			}
		}
		if params != nil {
			return r.Op, params, true
		}
	}
	return "", nil, false
}

// RoutesPrefix tells whether path is under the first segments of some route of routes (its
// service's part of the URL space, such as /2015-03-31/functions).
func RoutesPrefix(routes []Route, path string) bool {
	for _, r := range routes {
		parts := strings.SplitN(r.Path, "/", 4) // "", version, collection, rest
		if len(parts) >= 3 && (path == strings.Join(parts[:3], "/") || strings.HasPrefix(path, strings.Join(parts[:3], "/")+"/")) {
			return true
		}
	}
	return false
}
