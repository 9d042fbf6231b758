package iamapi

import (
	"context"
	"errors"
	"slices"

	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/store"
)

type wireAccessKey struct {
	UserName        string `xml:"UserName"`
	AccessKeyID     string `xml:"AccessKeyId"`
	Status          string `xml:"Status"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	CreateDate      string `xml:"CreateDate"`
}

type createAccessKeyOutput struct {
	AccessKey wireAccessKey `xml:"AccessKey"`
}

func (a *API) createAccessKey(ctx context.Context, in *userNameInput) (*createAccessKeyOutput, error) {
	name, err := callerUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	pair, err := credentials.Generate(a.now())
	if err != nil {
		return nil, err
	}
	sealed, err := a.deps.Secrets.Seal([]byte(pair.SecretAccessKey), []byte(pair.AccessKeyID))
	if err != nil {
		return nil, err
	}
	k := iam.AccessKey{ID: pair.AccessKeyID, Status: iam.KeyActive, CreateDate: pair.CreatedAt, SealedSecret: sealed}
	_, err = store.Retry(func() (struct{}, error) {
		it, err := a.user(ctx, name)
		if err != nil {
			return struct{}{}, err
		}
		if err := it.Value.AddKey(k.ID); err != nil {
			return struct{}{}, err
		}
		k.UserName = it.Value.Name
		var txn store.Txn
		if err := a.deps.Store.IAMUsers.Put(&txn, it.ID, it.Value, it.Revision); err != nil {
			return struct{}{}, err
		}
		if err := a.deps.Store.IAMAccessKeys.Put(&txn, k.ID, k, 0); err != nil {
			return struct{}{}, err
		}
		_, err = a.deps.Store.Commit(ctx, &txn)
		return struct{}{}, err
	})
	if err != nil {
		return nil, err
	}
	return &createAccessKeyOutput{AccessKey: wireAccessKey{
		UserName: k.UserName, AccessKeyID: k.ID, Status: string(k.Status), SecretAccessKey: pair.SecretAccessKey, CreateDate: timestamp(k.CreateDate),
	}}, nil
}

type listAccessKeysInput struct {
	UserName *string `query:"UserName"`
	Marker   *string `query:"Marker"`
	MaxItems *int32  `query:"MaxItems"`
}

type wireAccessKeyMetadata struct {
	UserName    string `xml:"UserName"`
	AccessKeyID string `xml:"AccessKeyId"`
	Status      string `xml:"Status"`
	CreateDate  string `xml:"CreateDate"`
}

type listAccessKeysOutput struct {
	AccessKeyMetadata list[wireAccessKeyMetadata] `xml:"AccessKeyMetadata"`
	truncation
}

func (a *API) listAccessKeys(ctx context.Context, in *listAccessKeysInput) (*listAccessKeysOutput, error) {
	name, err := callerUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	it, err := a.user(ctx, name)
	if err != nil {
		return nil, err
	}
	ids, tr, err := markerPage(slices.Sorted(slices.Values(it.Value.AccessKeys)), func(id string) string { return id }, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &listAccessKeysOutput{AccessKeyMetadata: list[wireAccessKeyMetadata]{}, truncation: tr}
	for _, id := range ids {
		k, err := a.deps.Store.IAMAccessKeys.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		out.AccessKeyMetadata = append(out.AccessKeyMetadata, wireAccessKeyMetadata{
			UserName: k.Value.UserName, AccessKeyID: k.Value.ID, Status: string(k.Value.Status), CreateDate: timestamp(k.Value.CreateDate),
		})
	}
	return out, nil
}

type updateAccessKeyInput struct {
	UserName    *string `query:"UserName"`
	AccessKeyID *string `query:"AccessKeyId"`
	Status      *string `query:"Status"`
}

func (a *API) updateAccessKey(ctx context.Context, in *updateAccessKeyInput) (*emptyOutput, error) {
	id, err := required(in.AccessKeyID, "accessKeyId")
	if err != nil {
		return nil, err
	}
	s, err := required(in.Status, "status")
	if err != nil {
		return nil, err
	}
	status, err := iam.ParseKeyStatus(s)
	if err != nil {
		return nil, err
	}
	name, err := callerUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	_, err = store.Retry(func() (struct{}, error) {
		u, k, err := a.userKey(ctx, name, id)
		if err != nil {
			return struct{}{}, err
		}
		k.Value.Status = status
		var txn store.Txn
		a.deps.Store.IAMUsers.Require(&txn, u.ID, u.Revision)
		if err := a.deps.Store.IAMAccessKeys.Put(&txn, id, k.Value, k.Revision); err != nil {
			return struct{}{}, err
		}
		_, err = a.deps.Store.Commit(ctx, &txn)
		return struct{}{}, err
	})
	return &emptyOutput{}, err
}

// userKey reads the user name and its access key id.
func (a *API) userKey(ctx context.Context, name, id string) (store.Item[iam.User], store.Item[iam.AccessKey], error) {
	u, err := a.user(ctx, name)
	if err != nil {
		return u, store.Item[iam.AccessKey]{}, err
	}
	if !slices.Contains(u.Value.AccessKeys, id) {
		return u, store.Item[iam.AccessKey]{}, iam.AccessKeyNotFound(id)
	}
	k, err := a.deps.Store.IAMAccessKeys.Get(ctx, id)
	return u, k, err
}

type deleteAccessKeyInput struct {
	UserName    *string `query:"UserName"`
	AccessKeyID *string `query:"AccessKeyId"`
}

func (a *API) deleteAccessKey(ctx context.Context, in *deleteAccessKeyInput) (*emptyOutput, error) {
	id, err := required(in.AccessKeyID, "accessKeyId")
	if err != nil {
		return nil, err
	}
	name, err := callerUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	_, err = store.Retry(func() (struct{}, error) {
		u, k, err := a.userKey(ctx, name, id)
		if err != nil {
			return struct{}{}, err
		}
		u.Value.RemoveKey(id)
		var txn store.Txn
		if err := a.deps.Store.IAMUsers.Put(&txn, u.ID, u.Value, u.Revision); err != nil {
			return struct{}{}, err
		}
		a.deps.Store.IAMAccessKeys.Remove(&txn, id, k.Revision)
		a.deps.Store.IAMKeyUsage.Remove(&txn, id, -1)
		_, err = a.deps.Store.Commit(ctx, &txn)
		return struct{}{}, err
	})
	return &emptyOutput{}, err
}

type getAccessKeyLastUsedInput struct {
	AccessKeyID *string `query:"AccessKeyId"`
}

type wireKeyLastUsed struct {
	LastUsedDate *string `xml:"LastUsedDate,omitempty"`
	ServiceName  string  `xml:"ServiceName"`
	Region       string  `xml:"Region"`
}

type getAccessKeyLastUsedOutput struct {
	UserName          string          `xml:"UserName"`
	AccessKeyLastUsed wireKeyLastUsed `xml:"AccessKeyLastUsed"`
}

func (a *API) getAccessKeyLastUsed(ctx context.Context, in *getAccessKeyLastUsedInput) (*getAccessKeyLastUsedOutput, error) {
	id, err := required(in.AccessKeyID, "accessKeyId")
	if err != nil {
		return nil, err
	}
	k, err := a.deps.Store.IAMAccessKeys.Get(ctx, id)
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil, iam.AccessKeyNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	// A key never used answers N/A, as IAM does.
	out := &getAccessKeyLastUsedOutput{UserName: k.Value.UserName, AccessKeyLastUsed: wireKeyLastUsed{ServiceName: "N/A", Region: "N/A"}}
	use, err := a.deps.Store.IAMKeyUsage.Get(ctx, id)
	switch {
	case err == nil:
		out.AccessKeyLastUsed = wireKeyLastUsed{LastUsedDate: ptr(timestamp(use.Value.LastUsed)), ServiceName: use.Value.Service, Region: use.Value.Region}
	case !errors.Is(err, errdefs.ErrNotFound):
		return nil, err
	}
	return out, nil
}
