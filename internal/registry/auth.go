package registry

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/distribution/distribution/v3/registry/api/errcode"
	"github.com/distribution/distribution/v3/registry/auth"

	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/errdefs"
)

// tokenPath is the token endpoint of the Bearer flow.
const tokenPath = "/v2/token"

// service is what challenges name as the service, as ECR names it.
const service = "ecr.amazonaws.com"

// accessController lets a request in when it carries a valid ECR token: HTTP Basic with user
// AWS and the token as password, as docker login sends it, or the token as a Bearer token, as
// clients send it after the token flow. There is one account and its key may do anything, so a
// valid token grants every access the request asks for.
type accessController struct{ r *Registry }

func newAccessController(options map[string]any) (auth.AccessController, error) {
	r, ok := options["registry"].(*Registry)
	if !ok {
		return nil, errors.New("registry: access controller options carry no registry")
	}
	return accessController{r: r}, nil
}

func (a accessController) Authorized(req *http.Request, access ...auth.Access) (*auth.Grant, error) {
	tok, err := a.r.authenticate(req)
	if err != nil {
		return nil, challenge{err: err, bearer: a.r.cfg.BearerChallenge, scope: scope(access)}
	}
	return &auth.Grant{User: auth.UserInfo{Name: tok.AccessKeyID}}, nil
}

// authenticate checks the request's token.
func (r *Registry) authenticate(req *http.Request) (ecr.Token, error) {
	h := req.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(h, " ")
	var password string
	switch {
	case h == "":
		return ecr.Token{}, errors.New("no credentials")
	case strings.EqualFold(scheme, "Basic"):
		user, pass, ok := req.BasicAuth()
		if !ok || user != ecr.TokenUser {
			return ecr.Token{}, errors.New("basic credentials are not AWS:<token>")
		}
		password = pass
	case strings.EqualFold(scheme, "Bearer"):
		password = strings.TrimSpace(cred)
	default:
		return ecr.Token{}, fmt.Errorf("authorization scheme %q is not supported", scheme)
	}
	return r.verify(password)
}

// verify checks a registry password, and that it is a token of the registry's region.
func (r *Registry) verify(password string) (ecr.Token, error) {
	tok, err := ecr.VerifyToken(password, r.deps.Credentials, r.deps.Now())
	if err == nil && tok.Region != r.cfg.Region {
		return ecr.Token{}, ecr.ErrInvalidToken
	}
	return tok, err
}

// challenge is a 401 answer: ECR's Basic challenge, or a Bearer challenge that sends the
// client to the token endpoint.
type challenge struct {
	err    error
	bearer bool
	scope  string
}

func (c challenge) Error() string { return "authentication required: " + c.err.Error() }

// SetHeaders names the realm after the host the client used, so the challenge works whatever
// address reaches the server.
func (c challenge) SetHeaders(req *http.Request, w http.ResponseWriter) {
	base := scheme(req) + "://" + req.Host
	if !c.bearer {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Basic realm=%q,service=%q`, base+"/", service))
		return
	}
	v := fmt.Sprintf(`Bearer realm=%q,service=%q`, base+tokenPath, service)
	if c.scope != "" {
		v += fmt.Sprintf(`,scope=%q`, c.scope)
	}
	w.Header().Set("WWW-Authenticate", v)
}

func scheme(req *http.Request) string {
	if req.TLS != nil {
		return "https"
	}
	return "http"
}

// scope is the Docker token scope of the access a request needs:
// repository:<name>:pull,push.
func scope(access []auth.Access) string {
	var scopes []string
	byName := map[string][]string{}
	for _, a := range access {
		key := a.Type + ":" + a.Name
		if _, ok := byName[key]; !ok {
			scopes = append(scopes, key)
		}
		byName[key] = append(byName[key], a.Action)
	}
	out := make([]string, len(scopes))
	for i, s := range scopes {
		out[i] = s + ":" + strings.Join(byName[s], ",")
	}
	return strings.Join(out, " ")
}

// tokenResponse is the token endpoint's answer, with both the Docker and the OAuth2 names.
type tokenResponse struct {
	Token       string `json:"token"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
	IssuedAt    string `json:"issued_at"`
}

// serveToken exchanges ECR credentials for a Bearer token: HTTP Basic AWS:<token> on a GET (the
// Docker token protocol), or an OAuth2 password grant on a POST. The Bearer token is the ECR
// token itself, so it expires with it and stops working when its access key is rotated.
func (r *Registry) serveToken(w http.ResponseWriter, req *http.Request) {
	var password string
	switch req.Method {
	case http.MethodGet:
		user, pass, ok := req.BasicAuth()
		if !ok || user != ecr.TokenUser {
			r.refuseToken(w, req, errors.New("basic credentials AWS:<token> required"))
			return
		}
		password = pass
	case http.MethodPost:
		if req.PostFormValue("grant_type") != "password" || req.PostFormValue("username") != ecr.TokenUser {
			errorJSON(w, http.StatusBadRequest, "unsupported_grant_type", "use grant_type=password with username AWS and the ECR token as password")
			return
		}
		password = req.PostFormValue("password")
	default:
		w.Header().Set("Allow", "GET, POST")
		errorJSON(w, http.StatusMethodNotAllowed, "invalid_request", "GET or POST")
		return
	}
	tok, err := r.verify(password)
	if err != nil {
		r.refuseToken(w, req, err)
		return
	}
	now := r.deps.Now()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(tokenResponse{
		Token: password, AccessToken: password, ExpiresIn: int(tok.Expires.Sub(now) / time.Second), IssuedAt: now.UTC().Format(time.RFC3339),
	})
}

// refuseToken answers 401 with ECR's Basic challenge: the token endpoint takes Basic
// credentials.
func (r *Registry) refuseToken(w http.ResponseWriter, req *http.Request, err error) {
	challenge{err: err}.SetHeaders(req, w)
	_ = errcode.ServeJSON(w, errcode.ErrorCodeUnauthorized.WithMessage(errdefs.Message(err)))
}

func errorJSON(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": msg})
}
