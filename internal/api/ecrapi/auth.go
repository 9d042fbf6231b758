package ecrapi

import (
	"context"
	"regexp"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/errdefs"
)

type getAuthorizationTokenInput struct {
	RegistryIds []string `json:"registryIds"`
}

type getAuthorizationTokenOutput struct {
	AuthorizationData []wireAuthorizationData `json:"authorizationData"`
}

// wireAuthorizationData is the model's AuthorizationData.
type wireAuthorizationData struct {
	AuthorizationToken *string       `json:"authorizationToken,omitempty"`
	ExpiresAt          *epochSeconds `json:"expiresAt,omitempty"`
	ProxyEndpoint      *string       `json:"proxyEndpoint,omitempty"`
}

var registryIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// getAuthorizationToken hands the caller a registry password for 12 hours, signed with the
// caller's access key (ecr.NewToken): one entry per registry id asked for, or one.
func (a *API) getAuthorizationToken(ctx context.Context, in *getAuthorizationTokenInput) (*getAuthorizationTokenOutput, error) {
	if len(in.RegistryIds) > 10 {
		return nil, errdefs.Detail(ecr.ErrInvalidParameter, "Invalid parameter at 'registryIds' failed to satisfy constraint: 'Member must have length less than or equal to 10'")
	}
	for _, id := range in.RegistryIds {
		if !registryIDPattern.MatchString(id) {
			return nil, errdefs.Detail(ecr.ErrInvalidParameter, "Invalid parameter at 'registryIds' failed to satisfy constraint: 'Member must satisfy regular expression pattern: [0-9]{12}'")
		}
		if err := a.checkRegistry(&id); err != nil {
			return nil, err
		}
	}
	caller, _ := awsproto.CallerFrom(ctx)
	secret, ok := a.deps.Credentials(caller.AccessKeyID)
	if !ok {
		return nil, errdefs.Detail(ecr.ErrInvalidParameter, "The caller's access key is not (any more) a key of this server.")
	}
	expires := a.deps.Now().Add(ecr.TokenTTL).Truncate(1e9)
	token := ecr.NewToken(caller.AccessKeyID, secret, expires)
	if a.cfg.TokenRegion != "" {
		token = ecr.NewRegionToken(caller.AccessKeyID, secret, a.cfg.TokenRegion, expires)
	}
	data := wireAuthorizationData{
		AuthorizationToken: ptr(ecr.AuthorizationToken(token)),
		ExpiresAt:          awsproto.Epoch(expires), ProxyEndpoint: ptr(a.cfg.ProxyEndpoint),
	}
	out := &getAuthorizationTokenOutput{AuthorizationData: []wireAuthorizationData{data}}
	for range max(len(in.RegistryIds)-1, 0) {
		out.AuthorizationData = append(out.AuthorizationData, data)
	}
	return out, nil
}
