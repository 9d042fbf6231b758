package iamapi

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/tagset"
)

type wireUser struct {
	Path       string        `xml:"Path,omitempty"`
	UserName   string        `xml:"UserName,omitempty"`
	UserID     string        `xml:"UserId"`
	Arn        string        `xml:"Arn"`
	CreateDate string        `xml:"CreateDate"`
	Tags       list[wireTag] `xml:"Tags,omitempty"`
}

func (a *API) userToWire(u iam.User, withTags bool) wireUser {
	w := wireUser{Path: u.Path, UserName: u.Name, UserID: u.ID, Arn: u.ARN(a.account), CreateDate: timestamp(u.CreateDate)}
	if withTags {
		w.Tags = tagsToWire(u.Tags)
	}
	return w
}

type createUserInput struct {
	Path                *string   `query:"Path"`
	UserName            *string   `query:"UserName"`
	PermissionsBoundary *string   `query:"PermissionsBoundary"`
	Tags                []wireTag `query:"Tags"`
}

type userOutput struct {
	User wireUser `xml:"User"`
}

func (a *API) createUser(ctx context.Context, in *createUserInput) (*userOutput, error) {
	name, err := required(in.UserName, "userName")
	if err != nil {
		return nil, err
	}
	if in.PermissionsBoundary != nil {
		return nil, errdefs.Detail(iam.ErrInvalidInput, "Permissions boundaries are not supported by fargo.")
	}
	tags, err := tagsFromWire(in.Tags)
	if err != nil {
		return nil, err
	}
	id, err := iam.NewID(iam.UserIDPrefix, a.deps.Random)
	if err != nil {
		return nil, err
	}
	u, err := iam.NewUser(name, awsproto.Deref(in.Path), id, tags, a.now())
	if err != nil {
		return nil, err
	}
	if err := createNamed(ctx, a.deps.Store.IAMUsers, name, u, iam.UserExists); err != nil {
		return nil, err
	}
	return &userOutput{User: a.userToWire(u, len(u.Tags) > 0)}, nil
}

type userNameInput struct {
	UserName *string `query:"UserName"`
}

// user reads the user name names.
func (a *API) user(ctx context.Context, name string) (store.Item[iam.User], error) {
	it, err := a.deps.Store.IAMUsers.Get(ctx, iam.Key(name))
	if errors.Is(err, errdefs.ErrNotFound) {
		return it, iam.UserNotFound(name)
	}
	return it, err
}

// callerUser is the user an operation without UserName acts on: the caller's own.
func callerUser(ctx context.Context, name *string) (string, error) {
	if name != nil {
		return *name, nil
	}
	c, _ := awsproto.CallerFrom(ctx)
	if c.UserName == "" {
		return "", errdefs.InvalidArgument("Must specify userName when calling with non-User credentials")
	}
	return c.UserName, nil
}

func (a *API) getUser(ctx context.Context, in *userNameInput) (*userOutput, error) {
	if c, _ := awsproto.CallerFrom(ctx); in.UserName == nil && c.UserName == "" {
		// The root user: its id is the account's.
		return &userOutput{User: wireUser{UserID: a.account, Arn: "arn:aws:iam::" + a.account + ":root", CreateDate: timestamp(time.Unix(0, 0))}}, nil
	}
	name, err := callerUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	it, err := a.user(ctx, name)
	if err != nil {
		return nil, err
	}
	return &userOutput{User: a.userToWire(it.Value, true)}, nil
}

type listUsersInput struct {
	PathPrefix *string `query:"PathPrefix"`
	Marker     *string `query:"Marker"`
	MaxItems   *int32  `query:"MaxItems"`
}

type listUsersOutput struct {
	Users list[wireUser] `xml:"Users"`
	truncation
}

func (a *API) listUsers(ctx context.Context, in *listUsersInput) (*listUsersOutput, error) {
	users, tr, err := listByPath(ctx, a.deps.Store.IAMUsers, func(u iam.User) string { return u.Path }, in.PathPrefix, in.Marker, in.MaxItems,
		func(u iam.User) wireUser { return a.userToWire(u, false) })
	if err != nil {
		return nil, err
	}
	return &listUsersOutput{Users: users, truncation: tr}, nil
}

type updateUserInput struct {
	UserName    *string `query:"UserName"`
	NewPath     *string `query:"NewPath"`
	NewUserName *string `query:"NewUserName"`
}

func (a *API) updateUser(ctx context.Context, in *updateUserInput) (*emptyOutput, error) {
	name, err := required(in.UserName, "userName")
	if err != nil {
		return nil, err
	}
	if in.NewPath != nil {
		if err := iam.CheckPath("newPath", *in.NewPath); err != nil {
			return nil, err
		}
	}
	newName := awsproto.Deref(in.NewUserName)
	if in.NewUserName != nil {
		if err := iam.CheckName("newUserName", newName, iam.MaxUserNameLen); err != nil {
			return nil, err
		}
	}
	_, err = store.Retry(func() (struct{}, error) { return struct{}{}, a.renameUser(ctx, name, in.NewPath, newName) })
	return &emptyOutput{}, err
}

// renameUser moves the user to newName (when not empty) and newPath (when not nil) in one
// transaction with its access keys, which name their user.
func (a *API) renameUser(ctx context.Context, name string, newPath *string, newName string) error {
	it, err := a.user(ctx, name)
	if err != nil {
		return err
	}
	u := it.Value
	if newPath != nil {
		u.Path = iam.OrRoot(*newPath)
	}
	var txn store.Txn
	if newName == "" || iam.Key(newName) == it.ID {
		if newName != "" {
			u.Name = newName
		}
		if err := a.deps.Store.IAMUsers.Put(&txn, it.ID, u, it.Revision); err != nil {
			return err
		}
		_, err := a.deps.Store.Commit(ctx, &txn)
		return err
	}
	if _, err := a.deps.Store.IAMUsers.Get(ctx, iam.Key(newName)); err == nil {
		return iam.UserExists(newName)
	}
	u.Name = newName
	a.deps.Store.IAMUsers.Remove(&txn, it.ID, it.Revision)
	if err := a.deps.Store.IAMUsers.Put(&txn, iam.Key(newName), u, 0); err != nil {
		return err
	}
	if err := a.renameKeys(ctx, &txn, u); err != nil {
		return err
	}
	_, err = a.deps.Store.Commit(ctx, &txn)
	return err
}

func (a *API) renameKeys(ctx context.Context, txn *store.Txn, u iam.User) error {
	for _, id := range u.AccessKeys {
		k, err := a.deps.Store.IAMAccessKeys.Get(ctx, id)
		if err != nil {
			return err
		}
		k.Value.UserName = u.Name
		if err := a.deps.Store.IAMAccessKeys.Put(txn, id, k.Value, k.Revision); err != nil {
			return err
		}
	}
	return nil
}

func (a *API) deleteUser(ctx context.Context, in *userNameInput) (*emptyOutput, error) {
	name, err := required(in.UserName, "userName")
	if err != nil {
		return nil, err
	}
	_, err = store.Retry(func() (struct{}, error) {
		it, err := a.user(ctx, name)
		if err != nil {
			return struct{}{}, err
		}
		if err := it.Value.CheckDeletable(); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, removeAt(ctx, a.deps.Store, a.deps.Store.IAMUsers, it)
	})
	return &emptyOutput{}, err
}

type tagUserInput struct {
	UserName *string   `query:"UserName"`
	Tags     []wireTag `query:"Tags"`
}

func (a *API) tagUser(ctx context.Context, in *tagUserInput) (*emptyOutput, error) {
	name, err := required(in.UserName, "userName")
	if err != nil {
		return nil, err
	}
	if in.Tags == nil {
		return nil, errdefs.InvalidArgument("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
	}
	tags, err := tagsFromWire(in.Tags)
	if err != nil {
		return nil, err
	}
	return a.updateUserTags(ctx, name, func(cur []tagset.Tag) ([]tagset.Tag, error) { return iam.Tag(cur, tags) })
}

type untagUserInput struct {
	UserName *string  `query:"UserName"`
	TagKeys  []string `query:"TagKeys"`
}

func (a *API) untagUser(ctx context.Context, in *untagUserInput) (*emptyOutput, error) {
	name, err := required(in.UserName, "userName")
	if err != nil {
		return nil, err
	}
	return a.updateUserTags(ctx, name, func(cur []tagset.Tag) ([]tagset.Tag, error) { return tagset.Remove(cur, in.TagKeys), nil })
}

func (a *API) updateUserTags(ctx context.Context, name string, fn func([]tagset.Tag) ([]tagset.Tag, error)) (*emptyOutput, error) {
	_, err := a.deps.Store.IAMUsers.Update(ctx, iam.Key(name), func(u *iam.User) error {
		tags, err := fn(u.Tags)
		u.Tags = tags
		return err
	})
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil, iam.UserNotFound(name)
	}
	return &emptyOutput{}, err
}

type listUserTagsInput struct {
	UserName *string `query:"UserName"`
	Marker   *string `query:"Marker"`
	MaxItems *int32  `query:"MaxItems"`
}

type listTagsOutput struct {
	Tags list[wireTag] `xml:"Tags"`
	truncation
}

func (a *API) listUserTags(ctx context.Context, in *listUserTagsInput) (*listTagsOutput, error) {
	name, err := required(in.UserName, "userName")
	if err != nil {
		return nil, err
	}
	it, err := a.user(ctx, name)
	if err != nil {
		return nil, err
	}
	tags := slices.SortedFunc(slices.Values(it.Value.Tags), func(x, y tagset.Tag) int { return strings.Compare(x.Key, y.Key) })
	page, tr, err := markerPage(tags, func(t tagset.Tag) string { return t.Key }, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &listTagsOutput{Tags: tagsToWire(page), truncation: tr}, nil
}
