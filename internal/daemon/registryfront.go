package daemon

import (
	"net/http"
	"slices"
	"strings"

	"github.com/fargohq/fargo/internal/ecr"
)

// registryFront serves /v2/: each request goes to the registry of the region its token names
// (ecr.TokenRegion; a token of no region is the home region's), since repositories are
// regional and one listener serves them all (docs/regions.md). Requests without a token go to
// the home registry, which challenges them.
type registryFront struct {
	home http.Handler
	// regions is the server's region set, built after the registry.
	regions func() *regionSet
	// served are the regions served (Config.Regions); empty serves every region.
	served []string
}

func (f registryFront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	region := ecr.TokenRegion(registryPassword(r))
	rs := f.regions()
	if region == "" || rs == nil || region == rs.home.name {
		f.home.ServeHTTP(w, r)
		return
	}
	if len(f.served) > 0 && !slices.Contains(f.served, region) {
		// As the registry of a region the account cannot use: it knows no such credentials.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}` + "\n"))
		return
	}
	reg, err := rs.get(r.Context(), region)
	if err != nil {
		http.Error(w, "the registry of region "+region+" is not available", http.StatusServiceUnavailable)
		return
	}
	reg.registry.ServeHTTP(w, r)
}

// registryPassword is the token a registry request carries: the password of HTTP Basic
// credentials, a Bearer token, or the password of the token endpoint's OAuth2 form.
func registryPassword(r *http.Request) string {
	if _, pass, ok := r.BasicAuth(); ok {
		return pass
	}
	if scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(cred)
	}
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/token") {
		return r.PostFormValue("password") // parsed once; the registry reads the same form
	}
	return ""
}
